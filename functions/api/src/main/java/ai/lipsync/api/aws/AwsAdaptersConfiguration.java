package ai.lipsync.api.aws;

import ai.lipsync.api.SegmentLinks;
import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.queue.JobMessages;
import ai.lipsync.settings.LipsyncSettings;
import ai.lipsync.aws.queue.SqsJobQueue;
import ai.lipsync.aws.session.DynamoDbSessionStore;
import ai.lipsync.aws.storage.S3StreamStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Clock;

/**
 * The API's ports on AWS: sessions in DynamoDB, jobs on SQS, streams read from S3, playlists
 * proxied with presigned S3 or CloudFront segment URIs. Used by the Lambda function and by the web
 * app's {@code aws} profile alike. The application provides the {@link Clock}.
 *
 * <p>The resources are the bound tree's {@code lipsync.aws.*} ({@code LIPSYNC_AWS_TABLE},
 * {@code LIPSYNC_AWS_BUCKET}, {@code LIPSYNC_AWS_QUEUE}, {@code LIPSYNC_AWS_QUEUEURL}, ...); region and
 * endpoint the AWS SDK's {@code AWS_REGION} and {@code AWS_ENDPOINT_URL}, read through Spring's
 * environment so that a property of the same name (a test's, a command line's) counts too.
 */
@Configuration(proxyBeanMethods = false)
public class AwsAdaptersConfiguration {
    private static final Logger log = LoggerFactory.getLogger(AwsAdaptersConfiguration.class);

    @Bean
    public AwsSettings awsSettings(LipsyncSettings lipsync, Environment environment) {
        AwsSettings settings = AwsSettings.from(lipsync, environment::getProperty);
        log.info("AWS adapters [region={}, endpoint={}, table={}, bucket={}, queue={}]", settings.region(),
                settings.endpointOverride().map(Object::toString).orElse("AWS"), settings.tableName(),
                settings.bucketName(), settings.queueName());
        return settings;
    }

    @Bean(destroyMethod = "close")
    public AwsClients awsClients(AwsSettings settings) {
        return AwsClients.create(settings);
    }

    @Bean
    public DynamoDbSessionStore sessionStore(AwsClients clients, AwsSettings settings, Clock clock) {
        return new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), settings.sessionTtl(), clock);
    }

    /** Looks the queue URL up once at startup unless {@code lipsync.aws.queue-url} gives it (the template does). */
    @Bean
    public SqsJobQueue jobQueue(AwsClients clients, AwsSettings settings) {
        return new SqsJobQueue(clients.sqs(), AwsResources.jobQueueUrl(clients.sqs(), settings), new JobMessages());
    }

    @Bean
    public S3StreamStore streamStore(AwsClients clients, AwsSettings settings) {
        return new S3StreamStore(clients.s3(), settings.bucketName());
    }

    @Bean
    public SegmentLinks segmentLinks(LipsyncSettings props, AwsClients clients, AwsSettings settings) {
        LipsyncSettings.Playlist playlist = props.playlist();
        if (playlist.cloudFront()) {
            log.info("playlists name segments under CloudFront [base={}]", playlist.cloudfrontBaseUrl());
            return new CloudFrontSegmentLinks(playlist.cloudfrontBaseUrl(), S3StreamStore::key);
        }
        log.info("playlists name segments by presigned S3 URLs [bucket={}, expiry={}]",
                settings.bucketName(), playlist.presignExpiry());
        return new PresignedSegmentLinks(clients.presigner(), settings.bucketName(), S3StreamStore::key,
                playlist.presignExpiry());
    }
}
