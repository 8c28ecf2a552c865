package ai.lipsync.session;

/** Hands jobs from the API to the workers: in-process on the embedded default, SQS on AWS. */
public interface JobQueue {

    /**
     * Enqueues a job.
     *
     * @throws QueueFullException when the queue is at capacity; nothing was enqueued
     */
    void submit(GenerationJob job);
}
