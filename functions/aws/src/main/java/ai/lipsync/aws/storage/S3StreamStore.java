package ai.lipsync.aws.storage;

import ai.lipsync.session.SessionArtifacts;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The AWS {@link StreamStore}: objects {@code hls/{session}/{file}} in one bucket. Each put is one
 * PutObject that returns once the object is stored, so S3 sees the objects in the order the
 * pipeline publishes them: init.mp4 before the first segment, each segment as it closes, the
 * playlist after the segments it names. Readers see whole objects only (S3 has no partial puts).
 * <p>
 * Headers: each object carries its file's content type and {@link StreamFile#cacheControl()} (the
 * same the API serves): the live playlist {@code no-cache}, the init segment and media segments
 * immutable for a year, so players and CloudFront keep them.
 */
public final class S3StreamStore implements StreamStore, SessionArtifacts {
    public static final String PREFIX = "hls/";
    private static final Logger log = LoggerFactory.getLogger(S3StreamStore.class);

    private final S3Client s3;
    private final String bucket;

    public S3StreamStore(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /** The object key of a session's file; only well-formed ids and stream file names get one. */
    public static String key(String sessionId, StreamFile file) {
        if (!SessionIds.isWellFormed(sessionId)) {
            throw new IllegalArgumentException("not a session id: " + sessionId);
        }
        Objects.requireNonNull(file, "file");
        StreamFile checked = StreamFile.parse(file.name())
                .orElseThrow(() -> new IllegalArgumentException("not a stream file name: " + file.name()));
        return PREFIX + sessionId + "/" + checked.name();
    }

    /** The Cache-Control an object of {@code file} is stored with (the worker's tests check it). */
    public static String cacheControl(StreamFile file) {
        return file.cacheControl();
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public void put(String sessionId, StreamFile file, byte[] content) throws IOException {
        String key = key(sessionId, file);
        Objects.requireNonNull(content, "content");
        try {
            s3.putObject(b -> b.bucket(bucket).key(key)
                            .contentType(file.contentType())
                            .cacheControl(file.cacheControl())
                            .contentLength((long) content.length),
                    RequestBody.fromBytes(content));
            log.debug("[session={}] put s3://{}/{} ({} bytes)", sessionId, bucket, key, content.length);
        } catch (SdkException e) {
            throw new IOException("S3 PutObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<StoredObject> get(String sessionId, StreamFile file) throws IOException {
        String key = key(sessionId, file);
        if (!file.immutable()) {
            return getWhole(key, file);
        }
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("S3 HeadObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3 HeadObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
        String type = head.contentType() != null ? head.contentType() : file.contentType();
        return Optional.of(new S3StoredObject(key, head.contentLength(), type, head.eTag()));
    }

    /**
     * The live playlist is replaced every second while its session generates, and players poll it
     * as often: a HEAD then a ranged GET would straddle a replacement now and then and fail its
     * If-Match. It is a few KB, so one GET reads one version whole, and ranges are served from it.
     */
    private Optional<StoredObject> getWhole(String key, StreamFile file) throws IOException {
        ResponseBytes<GetObjectResponse> object;
        try {
            object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("S3 GetObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
        String type = object.response().contentType() != null ? object.response().contentType() : file.contentType();
        return Optional.of(new BytesObject(object.asByteArray(), type));
    }

    /** One version of an object, read whole. */
    private record BytesObject(byte[] bytes, String contentType) implements StoredObject {

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open(long offset, long length) {
            if (offset < 0 || length < 0 || offset + length > bytes.length) {
                throw new IllegalArgumentException(
                        "range [" + offset + ", " + (offset + length) + ") outside 0.." + bytes.length);
            }
            return new ByteArrayInputStream(bytes, (int) offset, (int) length);
        }
    }

    /** Deletes every object of the session (S3 lifecycle rules do it on AWS; this is for tidy tests and tools). */
    @Override
    public void delete(String sessionId) throws IOException {
        if (!SessionIds.isWellFormed(sessionId)) {
            throw new IllegalArgumentException("not a session id: " + sessionId);
        }
        String prefix = PREFIX + sessionId + "/";
        try {
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
                List<ObjectIdentifier> keys = page.contents().stream().map(S3Object::key)
                        .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                if (!keys.isEmpty()) {
                    s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
                }
            }
        } catch (SdkException e) {
            throw new IOException("Deleting s3://" + bucket + "/" + prefix + " failed: " + e.getMessage(), e);
        }
    }

    /** An immutable stored object (init, segment); reads are ranged GETs pinned to the ETag seen by the HEAD. */
    private final class S3StoredObject implements StoredObject {
        private final String key;
        private final long size;
        private final String contentType;
        private final String eTag;

        S3StoredObject(String key, long size, String contentType, String eTag) {
            this.key = key;
            this.size = size;
            this.contentType = contentType;
            this.eTag = eTag;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public String contentType() {
            return contentType;
        }

        @Override
        public InputStream open(long offset, long length) throws IOException {
            if (offset < 0 || length < 0 || offset + length > size) {
                throw new IllegalArgumentException(
                        "range [" + offset + ", " + (offset + length) + ") outside 0.." + size);
            }
            if (length == 0) {
                // HTTP ranges cannot name zero bytes.
                return new ByteArrayInputStream(new byte[0]);
            }
            String range = "bytes=" + offset + "-" + (offset + length - 1);
            try {
                // If-Match: a playlist replaced since the HEAD is a failed read, not a mix of two versions.
                return s3.getObject(b -> {
                    b.bucket(bucket).key(key).range(range);
                    if (eTag != null) {
                        b.ifMatch(eTag);
                    }
                });
            } catch (SdkException e) {
                throw new IOException("S3 GetObject s3://" + bucket + "/" + key + " " + range + " failed: "
                        + e.getMessage(), e);
            }
        }
    }
}
