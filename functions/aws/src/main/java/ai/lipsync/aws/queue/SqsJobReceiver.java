package ai.lipsync.aws.queue;

import ai.lipsync.aws.AwsAdapterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The worker's side of the job queue: long-polls for jobs, keeps a job hidden while it runs, and
 * acknowledges it. A job that is not acknowledged reappears after the visibility timeout with a
 * higher receive count; after the queue's {@code maxReceiveCount} SQS moves it to the dead-letter
 * queue. A body that is not a job comes back as a poison {@link ReceivedJob}, never as an exception.
 */
public final class SqsJobReceiver {
    private static final Logger log = LoggerFactory.getLogger(SqsJobReceiver.class);
    /** SQS limits: long polls up to 20 s, 10 messages per receive, visibility up to 12 h. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(20);
    private static final int MAX_MESSAGES = 10;
    private static final Duration MAX_VISIBILITY = Duration.ofHours(12);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Duration visibilityTimeout;
    private final JobMessages messages;

    /** @param visibilityTimeout how long a received job stays hidden before it is redelivered */
    public SqsJobReceiver(SqsClient sqs, String queueUrl, Duration visibilityTimeout, JobMessages messages) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.visibilityTimeout = checkVisibility(visibilityTimeout);
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    public String queueUrl() {
        return queueUrl;
    }

    /**
     * Waits up to {@code wait} for jobs (long polling) and returns at most {@code max} of them;
     * an empty list when none came.
     *
     * @param wait 0..20 s
     * @param max 1..10
     */
    public List<ReceivedJob> receive(Duration wait, int max) {
        if (wait == null || wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("wait must be 0..20 s, was " + wait);
        }
        if (max < 1 || max > MAX_MESSAGES) {
            throw new IllegalArgumentException("max must be 1..10, was " + max);
        }
        List<Message> received;
        try {
            received = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                    .waitTimeSeconds((int) wait.toSeconds())
                    .maxNumberOfMessages(max)
                    .visibilityTimeout((int) visibilityTimeout.toSeconds())
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                    .messages();
        } catch (SdkException e) {
            throw new AwsAdapterException("Receiving jobs from SQS queue " + queueUrl + " failed: " + e.getMessage(),
                    e);
        }
        List<ReceivedJob> jobs = new ArrayList<>(received.size());
        for (Message m : received) {
            jobs.add(toJob(m));
        }
        return jobs;
    }

    /** Keeps the job hidden for {@code visibility} from now (a worker still busy with it). */
    public void extendVisibility(String receiptHandle, Duration visibility) {
        Objects.requireNonNull(receiptHandle, "receiptHandle");
        Duration checked = checkVisibility(visibility);
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle)
                    .visibilityTimeout((int) checked.toSeconds()));
        } catch (SdkException e) {
            throw new AwsAdapterException("Extending the visibility of a job on SQS queue " + queueUrl
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** Acknowledges the job: it is never delivered again. */
    public void delete(String receiptHandle) {
        Objects.requireNonNull(receiptHandle, "receiptHandle");
        try {
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(receiptHandle));
        } catch (SdkException e) {
            throw new AwsAdapterException("Deleting a job from SQS queue " + queueUrl + " failed: " + e.getMessage(),
                    e);
        }
    }

    private ReceivedJob toJob(Message m) {
        int count = receiveCount(m);
        try {
            String sessionId = messages.decode(m.body());
            return new ReceivedJob(m.messageId(), m.receiptHandle(), count, m.body(), sessionId, null);
        } catch (JobMessages.MalformedJobException e) {
            log.warn("[message={} receives={}] poison message: {}", m.messageId(), count, e.getMessage());
            return new ReceivedJob(m.messageId(), m.receiptHandle(), count, m.body(), null, e.getMessage());
        }
    }

    private static int receiveCount(Message m) {
        String value = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        try {
            return value == null ? 1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Duration checkVisibility(Duration visibility) {
        if (visibility == null || visibility.isNegative() || visibility.compareTo(MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("visibility must be 0 s..12 h, was " + visibility);
        }
        return visibility;
    }
}
