package ai.lipsync.worker;

import ai.lipsync.aws.queue.ReceivedJob;
import ai.lipsync.aws.queue.SqsJobReceiver;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The SQS job queue (or its dead-letter queue) as the worker's {@link JobSource}. The receive
 * visibility is the receiver's own, set from the same settings the worker runs with.
 */
public final class SqsJobSource implements JobSource {
    private final SqsJobReceiver receiver;

    public SqsJobSource(SqsJobReceiver receiver) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
    }

    @Override
    public List<Delivery> receive(Duration wait, int max, Duration visibility) {
        return receiver.receive(wait, max).stream().map(SqsJobSource::delivery).toList();
    }

    @Override
    public void changeVisibility(Delivery delivery, Duration timeout) {
        receiver.extendVisibility(delivery.receipt(), timeout);
    }

    @Override
    public void delete(Delivery delivery) {
        receiver.delete(delivery.receipt());
    }

    static Delivery delivery(ReceivedJob r) {
        return new Delivery(r.messageId(), r.receiptHandle(), r.receiveCount(), r.body(), r.sessionId(), r.problem());
    }
}
