package ai.lipsync.aws.queue;

import java.util.Optional;

/**
 * One message taken from the job queue.
 *
 * @param messageId SQS's id of the message (the same on every redelivery)
 * @param receiptHandle what {@link SqsJobReceiver#extendVisibility} and {@link SqsJobReceiver#delete}
 *     take; new on every receive
 * @param receiveCount how often the message has been received, this time included (1 the first time)
 * @param body the raw body
 * @param sessionId the session the job is for (its text, language and avatar are in the session
 *     record); null for a poison message
 * @param problem why the body is not a job (null unless poison)
 */
public record ReceivedJob(
        String messageId,
        String receiptHandle,
        int receiveCount,
        String body,
        String sessionId,
        String problem) {

    /** True when the body is not a job this service can run; it can never succeed. */
    public boolean isPoison() {
        return problem != null;
    }

    public Optional<String> maybeSessionId() {
        return Optional.ofNullable(sessionId);
    }
}
