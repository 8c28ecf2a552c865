package ai.lipsync.worker;

import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.testing.MemoryStreamStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobFenceTest {
    private static final String ID = "AAAAAAAAAAAAAAAAAAAAAA";
    private static final StreamFile SEGMENT = StreamFile.parse("segment_000.m4s").orElseThrow();

    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final MemoryStreamStore streams = new MemoryStreamStore();
    private final JobFence fence = new JobFence();
    private final SessionLeases leases = new SessionLeases(sessions, "me", Duration.ofMinutes(1),
            WorkerHarness.DEADLINE, Clock.systemUTC());
    private final FencedSessionStore fencedSessions = new FencedSessionStore(sessions, leases, fence);
    private final FencedStreamStore fencedStreams = new FencedStreamStore(streams, fence);

    @Test
    void whileTheFenceAdmitsAHeldSession_writesPass() throws IOException {
        sessions.create(Session.created(ID, "hi", Language.EN, "default", Instant.now()));
        assertThat(leases.claim(ID, "weights-free", null)).isEqualTo(SessionLeases.Claim.CLAIMED);
        fence.open(ID);

        fencedStreams.put(ID, SEGMENT, new byte[] {1, 2, 3});
        Session s = fencedSessions.update(ID, x -> x.withProgress(30, Instant.now()));

        assertThat(streams.get(ID, SEGMENT)).isPresent();
        assertThat(s.progress()).isEqualTo(30);
    }

    @Test
    void afterTheFenceCloses_streamAndSessionWritesAreRefused() {
        sessions.create(Session.created(ID, "hi", Language.EN, "default", Instant.now()));
        leases.claim(ID, "weights-free", null);
        fence.open(ID);
        fence.close();

        assertThatThrownBy(() -> fencedStreams.put(ID, SEGMENT, new byte[] {1})).isInstanceOf(IOException.class)
                .hasMessageContaining("no longer holds session " + ID);
        assertThatThrownBy(() -> fencedSessions.update(ID, x -> x.ready(Instant.now())))
                .isInstanceOf(LeaseLostException.class);
        assertThat(sessions.find(ID).orElseThrow().status()).isEqualTo(SessionStatus.PROCESSING);
    }

    @Test
    void aSessionTakenOverByAnotherWorker_refusesTheUpdateInsideTheStoresAtomicChange() throws IOException {
        Instant now = Instant.now();
        sessions.create(Session.created(ID, "hi", Language.EN, "default", now));
        sessions.update(ID, s -> s.claimedBy("weights-free", "other", now.plusSeconds(60), now));
        fence.open(ID);

        assertThatThrownBy(() -> fencedSessions.update(ID, x -> x.failed(ai.lipsync.session.ErrorCode.INTERNAL,
                "x", Instant.now()))).isInstanceOf(LeaseLostException.class);
        assertThat(sessions.find(ID).orElseThrow().workerId()).isEqualTo("other");
        assertThat(sessions.find(ID).orElseThrow().status()).isEqualTo(SessionStatus.PROCESSING);
    }

    @Test
    void release_handsBackOnlyASessionThisWorkerHolds() {
        Instant now = Instant.now();
        sessions.create(Session.created(ID, "hi", Language.EN, "default", now));
        sessions.update(ID, s -> s.claimedBy("weights-free", "other", now.plusSeconds(60), now));

        assertThat(leases.release(ID)).isFalse();
        assertThat(leases.renew(ID)).isFalse();
        assertThat(sessions.find(ID).orElseThrow().workerId()).isEqualTo("other");
        assertThat(leases.release("BBBBBBBBBBBBBBBBBBBBBB")).as("missing session").isFalse();
    }
}
