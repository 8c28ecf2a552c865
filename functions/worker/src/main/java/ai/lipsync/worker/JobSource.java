package ai.lipsync.worker;

import java.time.Duration;
import java.util.List;

/**
 * Where the worker takes jobs from: an SQS queue (or its dead-letter queue). A received message
 * stays invisible to other workers for the visibility timeout; deleting it acknowledges the job.
 */
public interface JobSource {

    /**
     * Waits up to {@code wait} for at most {@code max} messages (long poll); an empty list when none came.
     *
     * @param visibility how long the received messages stay hidden from other receivers
     */
    List<Delivery> receive(Duration wait, int max, Duration visibility);

    /** Hides the message for {@code timeout} from now; zero hands it back to the queue at once. */
    void changeVisibility(Delivery delivery, Duration timeout);

    /** Acknowledges the message: it is never delivered again. */
    void delete(Delivery delivery);
}
