package ai.lipsync.api.aws;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the API needs on AWS beyond the AWS resources themselves (those are the aws module's
 * settings). The keys are the embedded default's where they mean the same
 * ({@code lipsync.api.max-text-length}, {@code lipsync.avatar.default-id}).
 *
 * @param avatar {@code ids}: the avatars the GPU workers have; the API has no avatar files to look at
 * @param playlist {@code cloudfront-base-url} set: segment URIs under CloudFront; otherwise presigned
 *                 S3 GET URLs valid for {@code presign-expiry}
 */
@ConfigurationProperties("lipsync")
public record AwsApiProperties(@DefaultValue Api api, @DefaultValue Avatar avatar, @DefaultValue Playlist playlist) {

    public record Api(@DefaultValue("2000") int maxTextLength) {
    }

    public record Avatar(@DefaultValue("default") String defaultId, @DefaultValue("default") List<String> ids) {

        /**
         * The workers' avatars, refusing a default that is not among them: every request that names
         * no avatar would otherwise be accepted here and fail on the worker.
         *
         * @throws IllegalStateException naming both settings
         */
        public Set<String> checkedIds() {
            Set<String> known = Set.copyOf(ids);
            if (!known.contains(defaultId)) {
                throw new IllegalStateException("The default avatar '" + defaultId + "' is not among the workers'"
                        + " avatars " + known + ": add it to lipsync.avatar.ids (LIPSYNC_AVATAR_IDS) or set"
                        + " lipsync.avatar.default-id (LIPSYNC_AVATAR_DEFAULT_ID) to one of them.");
            }
            return known;
        }
    }

    public record Playlist(@DefaultValue("1h") Duration presignExpiry, String cloudfrontBaseUrl) {

        public boolean cloudFront() {
            return cloudfrontBaseUrl != null && !cloudfrontBaseUrl.isBlank();
        }
    }
}
