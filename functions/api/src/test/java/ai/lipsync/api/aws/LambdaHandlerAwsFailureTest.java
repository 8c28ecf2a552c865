package ai.lipsync.api.aws;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.testing.MotoServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployed handler when AWS fails under it: the function's job queue does not exist (a wrong
 * {@code lipsync.aws.queue-url}, a deleted queue). The caller gets the API's JSON 500 with CORS, as for
 * any server fault, and nothing of SQS's error text (queue URLs carry the account id); the session
 * that could not be queued is recorded in error, not left waiting for a worker.
 */
class LambdaHandlerAwsFailureTest {
    @AutoClose
    private static MotoServer moto;
    private static AwsSettings settings;
    @AutoClose
    private static AwsClients clients;
    private static FunctionInvoker invoker;
    private static String missingQueueUrl;

    @BeforeAll
    static void boot() {
        moto = MotoServer.start();
        settings = moto.freshSettings();
        clients = AwsClients.create(settings, moto.credentials());
        AwsResources resources = new AwsResources(clients, settings);
        resources.ensureTable();
        resources.ensureBucket();
        missingQueueUrl = moto.endpoint() + "/123456789012/" + settings.queueName() + "-missing";
        Map<String, String> environment = LambdaEvents.environment(settings, moto.endpoint());
        environment.put("lipsync.aws.queue-url", missingQueueUrl);
        invoker = LambdaEvents.boot(environment);
    }

    @Test
    void start_whenSqsRefusesTheJob_answers500JsonWithCors_withoutAwsDetails_andRecordsTheSessionInError()
            throws IOException {
        LambdaEvents.Answer answer = LambdaEvents.invoke(invoker, "start", null);

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.json().get("error").asText()).isEqualTo("internal_error");
        assertThat(answer.body()).doesNotContain(missingQueueUrl).doesNotContain(settings.queueName())
                .doesNotContain("123456789012").doesNotContain("arn:").doesNotContain("Exception");

        List<Map<String, AttributeValue>> items = clients.dynamoDb()
                .scan(b -> b.tableName(settings.tableName()).consistentRead(true)).items();
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.get("status").s()).isEqualTo("error");
            assertThat(item.get("errorCode").s()).isEqualTo("internal");
            assertThat(item.get("errorMessage").s()).doesNotContain(settings.queueName()).doesNotContain("123456789012");
        });
    }
}
