package ai.lipsync.aws;

import java.time.Duration;

/**
 * The one rule between a worker's claim on a session (the lease) and its job message's visibility
 * timeout, and their defaults; AwsSettings, the worker's settings and template.yaml's allowed
 * visibility follow it. The lease must end strictly before the visibility: a job redelivered because
 * its worker died then always finds that worker's lease expired and takes the session over. With
 * lease >= visibility it could find the dead worker's lease still live, be acknowledged as held
 * elsewhere and never run: the session would hang in processing.
 *
 * @param lease how long a claim holds without a heartbeat ({@value #LEASE_VARIABLE})
 * @param visibility how long a received job stays hidden from other workers ({@value #VISIBILITY_VARIABLE};
 *     template.yaml's JobVisibilityTimeoutSeconds)
 */
public record LeaseTiming(Duration lease, Duration visibility) {
    public static final String LEASE_VARIABLE = "LIPSYNC_LEASE_SECONDS";
    public static final String VISIBILITY_VARIABLE = "LIPSYNC_VISIBILITY_SECONDS";
    /** SQS refuses a visibility timeout above 12 hours. */
    public static final Duration MAX_VISIBILITY = Duration.ofHours(12);
    public static final LeaseTiming DEFAULTS = new LeaseTiming(Duration.ofSeconds(60), Duration.ofSeconds(90));

    public LeaseTiming {
        requirePositive(lease, "the lease (" + LEASE_VARIABLE + ")");
        requirePositive(visibility, "the job visibility timeout (" + VISIBILITY_VARIABLE + ")");
        if (visibility.compareTo(MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("the job visibility timeout (" + VISIBILITY_VARIABLE
                    + ") must be at most 12 h (the SQS limit), was " + text(visibility));
        }
        if (!allows(lease, visibility)) {
            throw new IllegalArgumentException("the lease (" + LEASE_VARIABLE + ", " + text(lease)
                    + ") must be shorter than the job visibility timeout (" + VISIBILITY_VARIABLE + ", "
                    + text(visibility) + "): a job redelivered after its worker died must find that worker's"
                    + " lease expired");
        }
    }

    /** Whether the rule allows this pair (both positive). */
    public static boolean allows(Duration lease, Duration visibility) {
        return lease.compareTo(visibility) < 0;
    }

    /** The shortest visibility timeout in whole seconds (SQS's and the template's unit) allowed with {@code lease}. */
    public static long minimumVisibilitySeconds(Duration lease) {
        return lease.toSeconds() + 1;
    }

    private static String text(Duration d) {
        return d.toMillisPart() == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + (value == null ? null : text(value)));
        }
    }
}
