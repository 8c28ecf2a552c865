package ai.lipsync.api.lambdatest;

import ai.lipsync.api.ApiFunctionConfiguration;
import ai.lipsync.api.lambda.LambdaApiSettings;
import ai.lipsync.api.lambda.LambdaServiceConfiguration;
import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.JobQueue;
import ai.lipsync.testing.MemoryStreamStore;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The Lambda application's own wiring over in-memory ports: what the handler does, without AWS. */
@SpringBootApplication
@LambdaApiSettings
@Import({ApiFunctionConfiguration.class, LambdaServiceConfiguration.class})
public class InMemoryLambdaApplication {

    @Bean
    public InMemorySessionStore sessionStore() {
        return new InMemorySessionStore();
    }

    /** Jobs are accepted and dropped: no worker runs behind the API function. */
    @Bean
    public JobQueue jobQueue() {
        return job -> { };
    }

    @Bean
    public MemoryStreamStore streamStore() {
        return new MemoryStreamStore();
    }
}
