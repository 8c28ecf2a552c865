package ai.lipsync.api.lambda;

import ai.lipsync.api.ApiFunctionConfiguration;
import ai.lipsync.api.SettingsConfiguration;
import ai.lipsync.api.aws.AwsAdaptersConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The API as an AWS Lambda function: Spring Cloud Function's {@code FunctionInvoker} boots this
 * application once per cold start (it is the jar's {@code Start-Class}) and hands every API Gateway
 * event to {@code lipsyncApiGateway}. Sessions live in DynamoDB, jobs go to SQS and playlists are
 * proxied with presigned S3 or CloudFront segment URLs; no worker runs here.
 *
 * <p>Its settings are in {@code lambda-api.properties}, not {@code application.properties}, so that
 * the web app, which has this module on its classpath, never reads them ({@link LambdaApiSettings}).
 */
@SpringBootApplication
@LambdaApiSettings
@Import({SettingsConfiguration.class, ApiFunctionConfiguration.class, AwsAdaptersConfiguration.class, LambdaServiceConfiguration.class})
public class LambdaApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(LambdaApiApplication.class, args);
    }
}
