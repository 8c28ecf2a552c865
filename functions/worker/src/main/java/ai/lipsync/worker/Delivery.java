package ai.lipsync.worker;

/**
 * One receipt of a job message. A message is delivered again when its visibility timeout runs out
 * before it is deleted; {@code receiveCount} says how often that has happened (SQS's
 * ApproximateReceiveCount), and the queue's redrive policy moves it to the dead-letter queue once
 * the count passes its limit. A message names its session only: the worker reads the text, language
 * and avatar from the session record once it has claimed it.
 *
 * @param receipt what deletes the message or changes its visibility (SQS's receipt handle)
 * @param sessionId the session the job is for; for an unreadable message the one it names, when that
 *     much could be read (null otherwise)
 * @param problem why the body could not be read; null for a readable job
 */
public record Delivery(String messageId, String receipt, int receiveCount, String body, String sessionId,
        String problem) {

    public static Delivery of(String messageId, String receipt, int receiveCount, String body, String sessionId) {
        return new Delivery(messageId, receipt, receiveCount, body, sessionId, null);
    }

    public static Delivery unreadable(String messageId, String receipt, int receiveCount, String body,
            String sessionId, String problem) {
        return new Delivery(messageId, receipt, receiveCount, body, sessionId, problem);
    }

    public boolean readable() {
        return problem == null;
    }
}
