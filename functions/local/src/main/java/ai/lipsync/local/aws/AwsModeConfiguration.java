package ai.lipsync.local.aws;

import ai.lipsync.api.aws.AwsAdaptersConfiguration;
import ai.lipsync.settings.LipsyncSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;

import java.util.function.Predicate;

/**
 * The web app in the AWS shape ({@code --spring.profiles.active=aws}): the same API as the Lambda
 * function, sessions in DynamoDB, jobs on SQS, playlists proxied with presigned S3 (or CloudFront)
 * segment URLs. Nothing is generated in this JVM: a worker process takes the jobs from SQS, as the
 * GPU container does on AWS. The endpoint comes from {@code AWS_ENDPOINT_URL}, the names from
 * {@code lipsync.aws.*} ({@code LIPSYNC_AWS_TABLE}, {@code LIPSYNC_AWS_BUCKET}, {@code LIPSYNC_AWS_QUEUE}, ...)
 */
@Configuration(proxyBeanMethods = false)
@Profile("aws")
@Import(AwsAdaptersConfiguration.class)
public class AwsModeConfiguration {
    private static final Logger log = LoggerFactory.getLogger(AwsModeConfiguration.class);

    /**
     * The workers' avatars ({@code lipsync.avatar.ids}): this JVM has no avatar files to look at.
     * Checked here, so that a default outside them is refused with the AWS mode's settings named,
     * not with the embedded default's advice about video files.
     */
    @Bean
    public Predicate<String> knownAvatars(LipsyncSettings props) {
        return props.avatar().checkedIds()::contains;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void reportMode() {
        log.info("web app in AWS mode: sessions in DynamoDB, jobs on SQS, streams in S3; no in-process worker");
    }
}
