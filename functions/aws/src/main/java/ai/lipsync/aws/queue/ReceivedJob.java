package ai.lipsync.aws.queue;

import ai.lipsync.session.GenerationJob;

import java.util.Optional;

/**
 * One message taken from the job queue.
 *
 * @param messageId SQS's id of the message (the same on every redelivery)
 * @param receiptHandle what {@link SqsJobReceiver#extendVisibility} and {@link SqsJobReceiver#delete}
 *     take; new on every receive
 * @param receiveCount how often the message has been received, this time included (1 the first time)
 * @param body the raw body
 * @param job the job, or null for a poison message
 * @param sessionId the session the message names: the job's, or for a poison message one found in
 *     its body, else null
 * @param problem why the body is not a job (null unless poison)
 */
public record ReceivedJob(
        String messageId,
        String receiptHandle,
        int receiveCount,
        String body,
        GenerationJob job,
        String sessionId,
        String problem) {

    /** True when the body is not a job this service can run; it can never succeed. */
    public boolean isPoison() {
        return job == null;
    }

    public Optional<GenerationJob> maybeJob() {
        return Optional.ofNullable(job);
    }

    public Optional<String> maybeSessionId() {
        return Optional.ofNullable(sessionId);
    }
}
