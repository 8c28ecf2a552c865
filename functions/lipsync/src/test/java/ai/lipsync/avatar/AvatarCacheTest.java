package ai.lipsync.avatar;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deadlock guards only ({@link Timeout}): a cache that blocks would hang these tests, not slow them. */
@Timeout(120)
class AvatarCacheTest {

    @Test
    void get_pastTheMaximum_evictsTheLeastRecentlyUsed() {
        AvatarCache<String, String> cache = new AvatarCache<>(2);
        List<String> loads = new ArrayList<>();
        Function<String, String> loader = key -> {
            loads.add(key);
            return key + "!";
        };

        cache.get("a", loader);
        cache.get("b", loader);
        assertThat(cache.get("a", loader)).isEqualTo("a!");
        cache.get("c", loader);

        assertThat(cache.size()).isEqualTo(cache.maximum());
        assertThat(cache.getIfPresent("b")).as("the least recently used left").isEmpty();
        cache.get("a", loader);
        cache.get("b", loader);

        assertThat(loads).containsExactly("a", "b", "c", "b");
        assertThat(cache.getIfPresent("c")).as("a was used after c, so c left for b").isEmpty();
        assertThat(cache.getIfPresent("a")).contains("a!");
        assertThat(cache.getIfPresent("b")).contains("b!");
        assertThatThrownBy(() -> new AvatarCache<>(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void get_concurrentCallersOfOneKey_loadItOnceAndShareTheValue() throws Exception {
        AvatarCache<String, Object> cache = new AvatarCache<>(4);
        int callers = 8;
        AtomicInteger loads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            Function<String, Object> loader = key -> {
                loads.incrementAndGet();
                // Hold the load until every other caller is waiting inside the cache for it.
                awaitParkedInCache(threads, callers - 1);
                return new Object();
            };
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    threads.add(Thread.currentThread());
                    return cache.get("sun@25", loader);
                }));
            }
            Object first = results.get(0).get();
            for (Future<Object> result : results) {
                assertThat(result.get()).isSameAs(first);
            }
            assertThat(loads).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void get_whileAnotherKeyLoadsSlowly_returnsWithoutWaitingForIt() throws Exception {
        AvatarCache<String, String> cache = new AvatarCache<>(4);
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> cache.get("anna@25", key -> {
            slowStarted.countDown();
            await(releaseSlow);
            return "anna";
        }));
        await(slowStarted);

        String other = cache.get("default@25", key -> "default");

        assertThat(other).isEqualTo("default");
        assertThat(cache.getIfPresent("default@25")).contains("default");
        assertThat(slow).as("the slow load is still running").isNotDone();
        releaseSlow.countDown();
        assertThat(slow.get()).isEqualTo("anna");
    }

    @Test
    void get_aFailedLoad_isSharedWithItsWaitersButNotKept() {
        AvatarCache<String, String> cache = new AvatarCache<>(2);
        IllegalStateException broken = new IllegalStateException("no face");

        assertThatThrownBy(() -> cache.get("wall@25", key -> {
            throw broken;
        })).isSameAs(broken);

        assertThat(cache.getIfPresent("wall@25")).isEmpty();
        assertThat(cache.get("wall@25", key -> "fixed")).isEqualTo("fixed");
    }

    @Test
    void removeIf_dropsTheMatchingValues() {
        AvatarCache<String, String> cache = new AvatarCache<>(4);
        cache.get("sun@25", key -> "25");
        cache.get("sun@30", key -> "30");
        cache.get("moon@25", key -> "m");

        cache.removeIf(key -> key.startsWith("sun@") && !key.equals("sun@30"));

        assertThat(cache.getIfPresent("sun@25")).isEmpty();
        assertThat(cache.getIfPresent("sun@30")).contains("30");
        assertThat(cache.getIfPresent("moon@25")).contains("m");
    }

    /** Spins until {@code count} threads other than the caller are parked in the cache, waiting for a load. */
    private static void awaitParkedInCache(List<Thread> threads, int count) {
        while (threads.stream().filter(t -> t != Thread.currentThread()).filter(AvatarCacheTest::waitsInCache)
                .count() < count) {
            Thread.onSpinWait();
        }
    }

    private static boolean waitsInCache(Thread t) {
        if (t.getState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals(AvatarCache.class.getName())) {
                return true;
            }
        }
        return false;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
