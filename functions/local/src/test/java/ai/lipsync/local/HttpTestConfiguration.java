package ai.lipsync.local;

import ai.lipsync.testing.MemoryStreamStore;
import ai.lipsync.storage.StreamStore;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.util.Set;
import java.util.function.Predicate;

/** Replaces the generation behind the queue, so the API's own behaviour can be provoked at will. */
@TestConfiguration(proxyBeanMethods = false)
class HttpTestConfiguration {

    @Bean
    @Primary
    GatedJobHandler gatedJobHandler() {
        return new GatedJobHandler();
    }

    @Bean
    @Primary
    StreamStore memoryStreamStore() {
        return new MemoryStreamStore();
    }

    @Bean
    @Primary
    Predicate<String> testAvatars() {
        return Set.of("default", "anna")::contains;
    }

}
