package ai.lipsync.worker;

import ai.lipsync.session.GenerationJob;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An SQS standard queue in memory, with the semantics the worker relies on: a received message is
 * hidden for its visibility timeout, counts its receives, is deleted or changed only through its
 * latest receipt, and moves to the dead-letter queue when a receive finds its count at the redrive
 * limit.
 */
final class InMemoryJobQueue implements JobSource {
    private final List<Message> messages = new ArrayList<>();
    private final InMemoryJobQueue deadLetters;
    private final int maxReceives;

    private static final class Message {
        final Delivery template;
        int receives;
        Instant visibleAt = Instant.MIN;
        String receipt;

        Message(Delivery template) {
            this.template = template;
        }
    }

    InMemoryJobQueue(InMemoryJobQueue deadLetters, int maxReceives) {
        this.deadLetters = deadLetters;
        this.maxReceives = maxReceives;
    }

    static InMemoryJobQueue withDeadLetters(int maxReceives) {
        return new InMemoryJobQueue(new InMemoryJobQueue(null, Integer.MAX_VALUE), maxReceives);
    }

    InMemoryJobQueue deadLetters() {
        return deadLetters;
    }

    void send(GenerationJob job) {
        add(Delivery.of(UUID.randomUUID().toString(), null, 0, "job " + job.sessionId(), job.sessionId()));
    }

    void sendUnreadable(String body, String sessionId, String problem) {
        add(Delivery.unreadable(UUID.randomUUID().toString(), null, 0, body, sessionId, problem));
    }

    synchronized void add(Delivery template) {
        messages.add(new Message(template));
    }

    /** Messages not deleted, visible or in flight. */
    synchronized int size() {
        return messages.size();
    }

    synchronized int visible() {
        Instant now = Instant.now();
        return (int) messages.stream().filter(m -> !m.visibleAt.isAfter(now)).count();
    }

    synchronized List<String> sessionIds() {
        return messages.stream().map(m -> m.template.sessionId()).toList();
    }

    @Override
    public List<Delivery> receive(Duration wait, int max, Duration visibility) {
        Instant end = Instant.now().plus(wait);
        while (true) {
            List<Delivery> got = take(max, visibility);
            if (!got.isEmpty() || !Instant.now().isBefore(end)) {
                return got;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }

    private synchronized List<Delivery> take(int max, Duration visibility) {
        Instant now = Instant.now();
        List<Delivery> got = new ArrayList<>();
        for (Message m : new ArrayList<>(messages)) {
            if (got.size() >= max) {
                break;
            }
            if (m.visibleAt.isAfter(now)) {
                continue;
            }
            if (deadLetters != null && m.receives >= maxReceives) {
                messages.remove(m);
                deadLetters.add(m.template);
                continue;
            }
            m.receives++;
            m.receipt = UUID.randomUUID().toString();
            m.visibleAt = now.plus(visibility);
            Delivery t = m.template;
            got.add(new Delivery(t.messageId(), m.receipt, m.receives, t.body(), t.sessionId(), t.problem()));
        }
        return got;
    }

    @Override
    public synchronized void changeVisibility(Delivery delivery, Duration timeout) {
        message(delivery).visibleAt = Instant.now().plus(timeout);
    }

    @Override
    public synchronized void delete(Delivery delivery) {
        messages.remove(message(delivery));
    }

    private Message message(Delivery d) {
        return messages.stream().filter(m -> d.receipt().equals(m.receipt)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("receipt handle is invalid or stale: " + d.receipt()));
    }
}
