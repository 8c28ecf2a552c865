package ai.lipsync.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a job may wait for a worker after its session was created ({@code lipsync.queue.start-deadline}).
 * A session no worker has started by then ends in {@link ErrorCode#EXPIRED} and is never rendered: the
 * caller (an assistant in a conversation) has moved on, and rendering it would only delay the jobs behind it.
 * Whoever claims a job decides this inside the same atomic update as the claim.
 */
public record StartDeadline(Duration limit) {

    public StartDeadline {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("lipsync.queue.start-deadline must be positive, was " + limit);
        }
    }

    /** True when no worker ever started {@code s} and it was created more than the limit before {@code now}. */
    public boolean missedBy(Session s, Instant now) {
        // A session handed back unfinished (a worker shutting down) is 'created' again but keeps its
        // engine: it was started, and the next worker resumes it whatever its age.
        return s.status() == SessionStatus.CREATED && s.engine() == null && s.createdAt() != null
                && now.isAfter(s.createdAt().plus(limit));
    }

    /** {@code s} ended in {@code expired}, with a sentence a person understands. */
    public Session expire(Session s, Instant now) {
        return s.failed(ErrorCode.EXPIRED, "No worker was free to start this generation within " + describe(limit)
                + " of the request, so it was not rendered; please start it again.", now);
    }

    private static String describe(Duration d) {
        if (d.toSeconds() >= 60 && d.toSeconds() % 60 == 0 && d.toNanosPart() == 0) {
            long minutes = d.toMinutes();
            return minutes + (minutes == 1 ? " minute" : " minutes");
        }
        if (d.toNanosPart() == 0) {
            long seconds = d.toSeconds();
            return seconds + (seconds == 1 ? " second" : " seconds");
        }
        return d.toMillis() + " ms";
    }
}
