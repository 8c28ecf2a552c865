package ai.lipsync.api.aws;

import ai.lipsync.api.SegmentLinks;
import ai.lipsync.storage.StreamFile;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;
import java.util.Objects;

/**
 * Segment URIs as presigned S3 GET URLs: the bucket stays private and players fetch segments
 * straight from S3 until the signature expires. Presigning is local computation (no call to S3),
 * so a playlist of many segments costs no extra requests.
 */
public final class PresignedSegmentLinks implements SegmentLinks {
    private final S3Presigner presigner;
    private final String bucket;
    private final StreamObjectKeys keys;
    private final Duration expiry;

    /** @param expiry how long each URL works; at most 7 days (SigV4's limit), at least one second */
    public PresignedSegmentLinks(S3Presigner presigner, String bucket, StreamObjectKeys keys, Duration expiry) {
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.keys = Objects.requireNonNull(keys, "keys");
        if (expiry == null || expiry.toSeconds() < 1 || expiry.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("A presigned URL's expiry must be between 1 s and 7 days, was " + expiry);
        }
        this.expiry = expiry;
    }

    @Override
    public String uri(String sessionId, StreamFile file) {
        String key = keys.key(sessionId, file);
        return presigner.presignGetObject(p -> p.signatureDuration(expiry)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
    }
}
