package ai.lipsync.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.CORSConfiguration;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.Map;

/**
 * Creates what the adapters expect, idempotently: the sessions table, the stream bucket, the job
 * queue and its dead-letter queue. Used by tests and by the local scripts (LocalStack, moto); on
 * AWS, template.yaml declares the same names and attributes:
 * <ul>
 * <li>table: key {@code id} (S, hash), on-demand billing, TTL on {@code expiresAt}</li>
 * <li>bucket: public access blocked, CORS GET/HEAD from any origin (players), objects under
 * {@code hls/} expire after the session TTL (rounded up to whole days)</li>
 * <li>queue: visibility timeout from the settings, redrive to the DLQ after {@code maxReceives}</li>
 * </ul>
 */
public final class AwsResources {
    public static final String KEY_ATTRIBUTE = "id";
    public static final String TTL_ATTRIBUTE = "expiresAt";
    public static final String STREAM_PREFIX = "hls/";
    /** Dead letters are kept for the SQS maximum, 14 days, for someone to look at. */
    private static final String DLQ_RETENTION_SECONDS = Integer.toString(14 * 24 * 3600);
    private static final Logger log = LoggerFactory.getLogger(AwsResources.class);

    private final AwsClients clients;
    private final AwsSettings settings;

    public AwsResources(AwsClients clients, AwsSettings settings) {
        this.clients = clients;
        this.settings = settings;
    }

    /** The queue URLs once both queues exist. */
    public record Queues(String queueUrl, String deadLetterQueueUrl, String deadLetterQueueArn) {
    }

    /**
     * Creates every resource that is missing.
     *
     * @return the queue URLs
     */
    public Queues ensureAll() {
        ensureTable();
        ensureBucket();
        return ensureQueues();
    }

    public void ensureTable() {
        DynamoDbClient dynamo = clients.dynamoDb();
        String table = settings.tableName();
        try {
            try {
                dynamo.createTable(b -> b.tableName(table)
                        .keySchema(KeySchemaElement.builder().attributeName(KEY_ATTRIBUTE).keyType(KeyType.HASH).build())
                        .attributeDefinitions(AttributeDefinition.builder().attributeName(KEY_ATTRIBUTE)
                                .attributeType(ScalarAttributeType.S).build())
                        .billingMode(BillingMode.PAY_PER_REQUEST));
                log.info("created table {}", table);
            } catch (ResourceInUseException e) {
                log.debug("table {} exists", table);
            }
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
            ensureTimeToLive(dynamo, table);
        } catch (SdkException e) {
            throw new AwsAdapterException("Creating DynamoDB table " + table + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Enables TTL on {@link #TTL_ATTRIBUTE} unless it is on already: DynamoDB refuses to enable it
     * twice (and to change it within an hour), so asking first keeps this idempotent.
     */
    private static void ensureTimeToLive(DynamoDbClient dynamo, String table) {
        TimeToLiveDescription ttl = dynamo.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
        boolean on = ttl != null && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
        if (on && TTL_ATTRIBUTE.equals(ttl.attributeName())) {
            log.debug("table {} expires items on {}", table, TTL_ATTRIBUTE);
            return;
        }
        if (on) {
            // Sessions would never expire: every record carries expiresAt, not this attribute.
            throw new AwsAdapterException("DynamoDB table " + table + " has TTL on '" + ttl.attributeName()
                    + "', but session records expire on '" + TTL_ATTRIBUTE + "': disable that TTL or use another table.");
        }
        dynamo.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(TTL_ATTRIBUTE).enabled(true)));
    }

    public void ensureBucket() {
        S3Client s3 = clients.s3();
        String bucket = settings.bucketName();
        try {
            try {
                s3.createBucket(b -> {
                    b.bucket(bucket);
                    // us-east-1 is the one region that refuses an explicit location constraint.
                    if (!Region.US_EAST_1.id().equals(settings.region())) {
                        b.createBucketConfiguration(CreateBucketConfiguration.builder()
                                .locationConstraint(settings.region()).build());
                    }
                });
                log.info("created bucket {}", bucket);
            } catch (BucketAlreadyOwnedByYouException e) {
                log.debug("bucket {} exists", bucket);
            }
            s3.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(
                    PublicAccessBlockConfiguration.builder().blockPublicAcls(true).ignorePublicAcls(true)
                            .blockPublicPolicy(true).restrictPublicBuckets(true).build()));
            s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(CORSConfiguration.builder()
                    .corsRules(CORSRule.builder()
                            .allowedMethods("GET", "HEAD")
                            .allowedOrigins("*")
                            .allowedHeaders("Range", "Origin", "Accept")
                            .exposeHeaders("Content-Length", "Content-Range", "Content-Type", "ETag")
                            .maxAgeSeconds(3600)
                            .build())
                    .build()));
            int days = (int) Math.max(1, (settings.sessionTtl().toHours() + 23) / 24);
            s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(
                    BucketLifecycleConfiguration.builder().rules(LifecycleRule.builder()
                            .id("expire-streams")
                            .filter(LifecycleRuleFilter.builder().prefix(STREAM_PREFIX).build())
                            .expiration(LifecycleExpiration.builder().days(days).build())
                            .status(ExpirationStatus.ENABLED)
                            .build()).build()));
        } catch (SdkException e) {
            throw new AwsAdapterException("Creating S3 bucket " + bucket + " failed: " + e.getMessage(), e);
        }
    }

    public Queues ensureQueues() {
        SqsClient sqs = clients.sqs();
        try {
            String dlqUrl = sqs.createQueue(b -> b.queueName(settings.deadLetterQueueName())
                    .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, DLQ_RETENTION_SECONDS)))
                    .queueUrl();
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String redrive = new ObjectMapper().createObjectNode()
                    .put("deadLetterTargetArn", dlqArn)
                    .put("maxReceiveCount", Integer.toString(settings.maxReceives()))
                    .toString();
            Map<QueueAttributeName, String> attributes = Map.of(
                    QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(settings.visibilityTimeout().toSeconds()),
                    QueueAttributeName.REDRIVE_POLICY, redrive);
            String queueUrl;
            try {
                queueUrl = sqs.createQueue(b -> b.queueName(settings.queueName()).attributes(attributes)).queueUrl();
            } catch (software.amazon.awssdk.services.sqs.model.QueueNameExistsException e) {
                // It exists with other attributes: bring them to what the settings say.
                queueUrl = queueUrl(sqs, settings.queueName());
                String url = queueUrl;
                sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(attributes));
            }
            log.info("queue {} (dead letters: {} after {} receives)", queueUrl, dlqUrl, settings.maxReceives());
            return new Queues(queueUrl, dlqUrl, dlqArn);
        } catch (SdkException e) {
            throw new AwsAdapterException("Creating SQS queues " + settings.queueName() + " and "
                    + settings.deadLetterQueueName() + " failed: " + e.getMessage(), e);
        }
    }

    /** The job queue's URL: from the settings when given, else looked up by name. */
    public static String jobQueueUrl(SqsClient sqs, AwsSettings settings) {
        return settings.queueUrl() != null ? settings.queueUrl() : queueUrl(sqs, settings.queueName());
    }

    public static String queueUrl(SqsClient sqs, String name) {
        try {
            return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (SdkException e) {
            throw new AwsAdapterException("Looking up SQS queue " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** Creates the resources the environment names ({@code LIPSYNC_AWS_*}, {@code AWS_*}); prints the queue URLs. */
    public static void main(String[] args) {
        AwsSettings settings = AwsSettings.from(SettingsBinder.bind(System.getenv()), System.getenv());
        try (AwsClients clients = AwsClients.create(settings)) {
            Queues queues = new AwsResources(clients, settings).ensureAll();
            System.out.println("table=" + settings.tableName());
            System.out.println("bucket=" + settings.bucketName());
            System.out.println("queueUrl=" + queues.queueUrl());
            System.out.println("deadLetterQueueUrl=" + queues.deadLetterQueueUrl());
        }
    }
}
