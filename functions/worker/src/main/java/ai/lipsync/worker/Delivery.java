package ai.lipsync.worker;

import ai.lipsync.session.GenerationJob;

/**
 * One receipt of a job message. A message is delivered again when its visibility timeout runs out
 * before it is deleted; {@code receiveCount} says how often that has happened (SQS's
 * ApproximateReceiveCount), and the queue's redrive policy moves it to the dead-letter queue once
 * the count passes its limit.
 *
 * @param receipt what deletes the message or changes its visibility (SQS's receipt handle)
 * @param job the parsed job, or null when the body is not a readable job
 * @param sessionId the session the message names, when that much could be read (null otherwise)
 * @param problem why the body could not be read; null when {@code job} is set
 */
public record Delivery(String messageId, String receipt, int receiveCount, String body, GenerationJob job,
        String sessionId, String problem) {

    public static Delivery of(String messageId, String receipt, int receiveCount, String body, GenerationJob job) {
        return new Delivery(messageId, receipt, receiveCount, body, job, job.sessionId(), null);
    }

    public static Delivery unreadable(String messageId, String receipt, int receiveCount, String body,
            String sessionId, String problem) {
        return new Delivery(messageId, receipt, receiveCount, body, null, sessionId, problem);
    }

    public boolean readable() {
        return job != null;
    }
}
