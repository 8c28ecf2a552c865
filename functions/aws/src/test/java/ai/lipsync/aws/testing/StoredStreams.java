package ai.lipsync.aws.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.aws.storage.S3StreamStore;
import ai.lipsync.storage.StreamFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads a session's published HLS objects back from S3, as the worker and end-to-end tests check them. */
public final class StoredStreams {

    private StoredStreams() {
    }

    /**
     * Downloads the session's stream into {@code dir}, asserting that every object under its prefix
     * is a stream file with that file's Content-Type and Cache-Control.
     *
     * @return each object's bytes by name, in listing order
     */
    public static Map<String, byte[]> download(S3Client s3, String bucket, String sessionId, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, byte[]> objects = new LinkedHashMap<>();
        String prefix = S3StreamStore.PREFIX + sessionId + "/";
        for (S3Object o : s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            String name = o.key().substring(prefix.length());
            StreamFile file = StreamFile.parse(name).orElseThrow(() -> new AssertionError("not a stream file: " + name));
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key()));
            assertThat(object.response().contentType()).as("Content-Type of %s", name).isEqualTo(file.contentType());
            assertThat(object.response().cacheControl()).as("Cache-Control of %s", name)
                    .isEqualTo(file.cacheControl());
            Files.write(dir.resolve(name), object.asByteArray());
            objects.put(name, object.asByteArray());
        }
        return objects;
    }
}
