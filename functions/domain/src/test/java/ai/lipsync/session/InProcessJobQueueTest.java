package ai.lipsync.session;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InProcessJobQueueTest {

    private static GenerationJob job(int i) {
        return new GenerationJob("job-" + i, "text", Language.EN, "default");
    }

    @Test
    void submit_pastCapacity_refusesWithRetryAfterAndRunsEveryAcceptedJob() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        JobHandler blocking = j -> {
            started.countDown();
            await(release);
            ran.add(j.sessionId());
        };
        try (InProcessJobQueue queue = new InProcessJobQueue(blocking, 2, 1, Duration.ofSeconds(9), Duration.ofSeconds(30))) {
            queue.submit(job(1));
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            queue.submit(job(2));
            queue.submit(job(3));

            assertThatThrownBy(() -> queue.submit(job(4)))
                    .isInstanceOfSatisfying(QueueFullException.class,
                            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(9)))
                    .hasMessageContaining("queue is full");
            assertThat(queue.waiting()).isEqualTo(2);

            release.countDown();
        }
        assertThat(ran).containsExactly("job-1", "job-2", "job-3");
    }

    @Test
    void close_waitsForQueuedJobsBeforeReturning() {
        List<String> ran = new CopyOnWriteArrayList<>();
        InProcessJobQueue queue = new InProcessJobQueue(j -> ran.add(j.sessionId()), 8, 2, Duration.ofSeconds(1),
                Duration.ofSeconds(30));
        for (int i = 0; i < 6; i++) {
            queue.submit(job(i));
        }

        queue.close();

        assertThat(ran).containsExactlyInAnyOrder("job-0", "job-1", "job-2", "job-3", "job-4", "job-5");
    }

    @Test
    void submit_afterClose_isRefusedAsShuttingDown() {
        InProcessJobQueue queue = new InProcessJobQueue(j -> { }, 1, 1, Duration.ofSeconds(3), Duration.ofSeconds(1));
        queue.close();

        assertThatThrownBy(() -> queue.submit(job(1)))
                .isInstanceOf(QueueFullException.class).hasMessageContaining("shutting down");
    }

    @Test
    void handlerThatThrows_doesNotStopTheWorker() {
        List<String> ran = new CopyOnWriteArrayList<>();
        InProcessJobQueue queue = new InProcessJobQueue(j -> {
            if (j.sessionId().equals("job-1")) {
                throw new IllegalStateException("boom");
            }
            ran.add(j.sessionId());
        }, 4, 1, Duration.ofSeconds(1), Duration.ofSeconds(30));
        queue.submit(job(1));
        queue.submit(job(2));

        queue.close();

        assertThat(ran).containsExactly("job-2");
    }

    @Test
    void constructor_withZeroWorkers_isRefused() {
        assertThatThrownBy(() -> new InProcessJobQueue(j -> { }, 1, 0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
