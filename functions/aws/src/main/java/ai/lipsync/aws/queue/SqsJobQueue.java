package ai.lipsync.aws.queue;

import ai.lipsync.aws.AwsAdapterException;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.JobQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Objects;

/**
 * The API's side of the SQS job queue: one message per job, its body the session id as JSON
 * ({@link JobMessages}: never the user's text, which the worker reads from the session). SQS has no capacity limit a caller could hit, so this never throws
 * {@link ai.lipsync.session.QueueFullException}; a failed send throws {@link AwsAdapterException},
 * which {@link ai.lipsync.session.SessionService#start} records as an error session.
 */
public final class SqsJobQueue implements JobQueue {
    private static final Logger log = LoggerFactory.getLogger(SqsJobQueue.class);
    private final SqsClient sqs;
    private final String queueUrl;
    private final JobMessages messages;

    public SqsJobQueue(SqsClient sqs, String queueUrl, JobMessages messages) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    @Override
    public void submit(GenerationJob job) {
        String body = messages.encode(job);
        try {
            String messageId = sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)).messageId();
            log.debug("[session={} message={}] job queued", job.sessionId(), messageId);
        } catch (SdkException e) {
            throw new AwsAdapterException("Sending the job of session " + job.sessionId() + " to SQS queue "
                    + queueUrl + " failed: " + e.getMessage(), e);
        }
    }
}
