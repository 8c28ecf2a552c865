package ai.lipsync.api.aws;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The Lambda application refuses a bad lipsync.aws.* value at startup, naming the setting and its
 * environment variable, before any AWS call (the endpoint here answers nothing): the same binding and
 * message as the worker's (WorkerSettingsBindingTest).
 */
class LambdaStartupSettingsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lipsync.aws.visibility   | 30s | lipsync.aws.lease (LIPSYNC_AWS_LEASE) must be shorter than the job visibility timeout lipsync.aws.visibility (LIPSYNC_AWS_VISIBILITY), was 60 s against 30 s",
            "lipsync.aws.max-receives | 0   | lipsync.aws.max-receives (LIPSYNC_AWS_MAXRECEIVES) must be 1..1000",
            "lipsync.aws.session-ttl  | 0s  | lipsync.aws.session-ttl (LIPSYNC_AWS_SESSIONTTL) must be positive"})
    void aBadAwsSetting_stopsTheLambdaApplicationAtStartupNamingIt(String property, String value, String message) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        environment.put(property, value);

        Throwable failure = catchThrowable(() -> LambdaEvents.boot(environment));

        assertThat(failure).as("the Lambda application must not start").isNotNull();
        assertThat(causes(failure)).contains(message);
    }

    private static String causes(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
