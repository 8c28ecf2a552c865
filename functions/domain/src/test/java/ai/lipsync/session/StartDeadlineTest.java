package ai.lipsync.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartDeadlineTest {
    private static final Instant CREATED = Instant.parse("2025-01-01T10:00:00Z");
    private final StartDeadline deadline = new StartDeadline(Duration.ofMinutes(2));
    private final Session fresh = Session.created("AAAAAAAAAAAAAAAAAAAAAA", "hi", Language.EN, "default", CREATED);

    @Test
    void aSessionNobodyStarted_isMissedOnlyPastTheLimit() {
        Instant limit = CREATED.plus(deadline.limit());

        assertThat(deadline.missedBy(fresh, CREATED)).isFalse();
        assertThat(deadline.missedBy(fresh, limit)).isFalse();
        assertThat(deadline.missedBy(fresh, limit.plusMillis(1))).isTrue();
    }

    @Test
    void aSessionAWorkerStarted_isNeverMissed_evenWhenHandedBackUnfinished() {
        Instant late = CREATED.plus(deadline.limit()).plusSeconds(60);
        Session processing = fresh.processing("weights-free", CREATED.plusSeconds(1));
        Session released = fresh.claimedBy("weights-free", "w1", late, CREATED.plusSeconds(1)).released(late);

        assertThat(deadline.missedBy(processing, late)).isFalse();
        assertThat(released.status()).isEqualTo(SessionStatus.CREATED);
        assertThat(deadline.missedBy(released, late)).isFalse();
        assertThat(deadline.missedBy(fresh.ready(late), late)).isFalse();
    }

    @Test
    void expire_endsInExpiredWithASentenceNamingTheLimit() {
        Instant late = CREATED.plus(deadline.limit()).plusSeconds(1);

        Session expired = deadline.expire(fresh, late);

        assertThat(expired.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(expired.errorCode()).isEqualTo(ErrorCode.EXPIRED);
        assertThat(expired.errorCode().wireName()).isEqualTo("expired");
        assertThat(expired.errorMessage()).contains("within 2 minutes").endsWith(".");
        assertThat(expired.updatedAt()).isEqualTo(late);
        assertThat(new StartDeadline(Duration.ofSeconds(90)).expire(fresh, late).errorMessage())
                .contains("within 90 seconds");
    }

    @Test
    void aLimitThatIsNotPositive_isRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new StartDeadline(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lipsync.queue.start-deadline");
    }
}
