package ai.lipsync.local;

import ai.lipsync.session.SessionLogContext;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Here, not in core: core's tests log through slf4j-simple, whose MDC keeps nothing; the applications use Logback. */
class SessionLogContextTest {

    @Test
    void carried_runsOnAnotherThreadWithTheCallersSessionIdAndLeavesThatThreadAsItWas() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<String> seen = new AtomicReference<>();
            AtomicReference<String> after = new AtomicReference<>("unset");
            MDC.put(SessionLogContext.KEY, "abcdefghijklmnopqrstuv");
            Runnable task = SessionLogContext.carried(() -> seen.set(MDC.get(SessionLogContext.KEY)));
            MDC.remove(SessionLogContext.KEY);

            other.submit(task).get(10, TimeUnit.SECONDS);
            other.submit(() -> after.set(MDC.get(SessionLogContext.KEY))).get(10, TimeUnit.SECONDS);

            assertThat(seen.get()).as("the id captured when the task was made").isEqualTo("abcdefghijklmnopqrstuv");
            assertThat(after.get()).as("the pool thread's context afterwards").isNull();
        } finally {
            other.shutdownNow();
        }
    }
}
