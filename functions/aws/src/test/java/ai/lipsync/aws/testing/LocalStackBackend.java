package ai.lipsync.aws.testing;

import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;

/** LocalStack in a Testcontainers container: DynamoDB, S3 and SQS on one endpoint. */
public final class LocalStackBackend implements AwsBackend, AutoCloseable {
    public static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4");
    private final LocalStackContainer container;

    private LocalStackBackend(LocalStackContainer container) {
        this.container = container;
    }

    public static LocalStackBackend start() {
        LocalStackContainer container = new LocalStackContainer(IMAGE).withServices("dynamodb", "s3", "sqs");
        container.start();
        return new LocalStackBackend(container);
    }

    @Override
    public String name() {
        return "localstack";
    }

    @Override
    public URI endpoint() {
        return container.getEndpoint();
    }

    @Override
    public String region() {
        return container.getRegion();
    }

    @Override
    public void close() {
        container.stop();
    }
}
