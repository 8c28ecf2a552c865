package ai.lipsync.session;

/** Hands jobs from the API to the workers: in-process on the embedded default, SQS on AWS. */
public interface JobQueue {

    /**
     * Enqueues a job.
     *
     * @throws QueueFullException when the queue is at capacity; nothing was enqueued
     */
    void submit(GenerationJob job);

    /**
     * Tells the workers behind this queue that a session was cancelled, so one running it stops at
     * once. Best effort: the session record is what counts (a job that has not started finds it
     * cancelled and never starts; an SQS worker reads it while generating), so a queue that cannot
     * reach its workers does nothing.
     */
    default void cancel(String sessionId) {
    }
}
