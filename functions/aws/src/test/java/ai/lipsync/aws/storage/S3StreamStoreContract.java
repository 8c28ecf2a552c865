package ai.lipsync.aws.storage;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.testing.AwsBackend;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 stream store against one backend; one bucket per class, one session id per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class S3StreamStoreContract {
    private static final StreamFile PLAYLIST = StreamFile.parse(StreamFile.PLAYLIST).orElseThrow();
    private static final StreamFile INIT = StreamFile.parse(StreamFile.INIT).orElseThrow();
    private static final StreamFile SEGMENT = StreamFile.parse("segment_000.m4s").orElseThrow();

    private final AwsBackend backend;
    private final SessionIds ids = SessionIds.create();
    private AwsSettings settings;
    private AwsClients clients;
    private S3StreamStore store;

    protected S3StreamStoreContract(AwsBackend backend) {
        this.backend = backend;
    }

    @BeforeAll
    void createBucket() {
        settings = backend.freshSettings();
        clients = AwsClients.create(settings, backend.credentials());
        new AwsResources(clients, settings).ensureBucket();
        store = new S3StreamStore(clients.s3(), settings.bucketName());
    }

    @AfterAll
    void disconnect() {
        clients.close();
    }

    @Test
    void put_ofThePlaylist_isALivePlaylistThatIsNeverCached() throws IOException {
        String id = ids.next();
        store.put(id, PLAYLIST, "#EXTM3U\n".getBytes(StandardCharsets.UTF_8));

        HeadObjectResponse head = head("hls/" + id + "/playlist.m3u8");

        assertThat(head.contentType()).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(head.cacheControl()).isEqualTo("no-cache");
    }

    @Test
    void put_ofInitAndSegments_isImmutableAndCachedForAYear() throws IOException {
        String id = ids.next();
        store.put(id, INIT, bytes(100, 1));
        store.put(id, SEGMENT, bytes(1000, 2));

        HeadObjectResponse init = head("hls/" + id + "/init.mp4");
        HeadObjectResponse segment = head("hls/" + id + "/segment_000.m4s");

        assertThat(init.contentType()).isEqualTo("video/mp4");
        assertThat(segment.contentType()).isEqualTo("video/iso.segment");
        assertThat(init.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
        assertThat(segment.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
        assertThat(segment.contentLength()).isEqualTo(1000);
    }

    @Test
    void get_returnsSizeTypeAndTheRequestedRange() throws IOException {
        String id = ids.next();
        byte[] content = bytes(5000, 3);
        store.put(id, SEGMENT, content);

        StreamStore.StoredObject stored = store.get(id, SEGMENT).orElseThrow();

        assertThat(stored.size()).isEqualTo(5000);
        assertThat(stored.contentType()).isEqualTo("video/iso.segment");
        assertThat(read(stored, 0, 5000)).isEqualTo(content);
        assertThat(read(stored, 1234, 100)).isEqualTo(Arrays.copyOfRange(content, 1234, 1334));
        assertThat(read(stored, 4999, 1)).isEqualTo(new byte[] {content[4999]});
        assertThat(read(stored, 5000, 0)).isEmpty();
    }

    @Test
    void get_ofARangeBeyondTheObject_isRefused() throws IOException {
        String id = ids.next();
        store.put(id, SEGMENT, bytes(10, 4));
        StreamStore.StoredObject stored = store.get(id, SEGMENT).orElseThrow();

        assertThatThrownBy(() -> stored.open(5, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> stored.open(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void get_ofAnUnpublishedFile_isEmpty() throws IOException {
        assertThat(store.get(ids.next(), PLAYLIST)).isEmpty();
    }

    @Test
    void put_ofTheSameFileAgain_replacesIt() throws IOException {
        String id = ids.next();
        store.put(id, PLAYLIST, "#EXTM3U\n#1\n".getBytes(StandardCharsets.UTF_8));
        store.put(id, PLAYLIST, "#EXTM3U\n#2\n#EXT-X-ENDLIST\n".getBytes(StandardCharsets.UTF_8));

        StreamStore.StoredObject stored = store.get(id, PLAYLIST).orElseThrow();

        assertThat(new String(read(stored, 0, stored.size()), StandardCharsets.UTF_8)).endsWith("#EXT-X-ENDLIST\n");
    }

    @Test
    void get_ofThePlaylist_readsOneVersion_evenWhenItIsReplacedBeforeTheRead() throws IOException {
        String id = ids.next();
        byte[] first = "#EXTM3U\n#EXTINF:1.0,\nsegment_000.m4s\n".getBytes(StandardCharsets.UTF_8);
        store.put(id, PLAYLIST, first);
        StreamStore.StoredObject stored = store.get(id, PLAYLIST).orElseThrow();

        // The worker publishes the next version between the API's lookup and its read.
        store.put(id, PLAYLIST, "#EXTM3U\n#EXT-X-VERSION:7\nsegment_000.m4s\nsegment_001.m4s\n"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(stored.size()).isEqualTo(first.length);
        assertThat(read(stored, 0, stored.size())).isEqualTo(first);
        assertThat(read(stored, 8, 10)).isEqualTo(Arrays.copyOfRange(first, 8, 18));
        assertThat(stored.contentType()).isEqualTo("application/vnd.apple.mpegurl");
    }

    @Test
    void put_withAMalformedSessionIdOrFileName_neverReachesS3() {
        assertThatThrownBy(() -> store.put("../../etc", PLAYLIST, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a session id");
        StreamFile forged = new StreamFile("../other/playlist.m3u8", "text/plain", false);
        assertThatThrownBy(() -> store.put(ids.next(), forged, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a stream file name");
    }

    @Test
    void delete_removesEveryObjectOfTheSessionAndNoOther() throws IOException {
        String gone = ids.next();
        String kept = ids.next();
        for (String id : new String[] {gone, kept}) {
            store.put(id, INIT, bytes(10, 5));
            store.put(id, SEGMENT, bytes(10, 6));
            store.put(id, PLAYLIST, bytes(10, 7));
        }

        store.delete(gone);

        assertThat(keys("hls/" + gone + "/")).isEmpty();
        assertThat(keys("hls/" + kept + "/")).hasSize(3);
    }

    @Test
    void put_toAMissingBucket_failsWithAnIoExceptionNamingIt() {
        S3StreamStore broken = new S3StreamStore(clients.s3(), settings.bucketName() + "-missing");

        assertThatThrownBy(() -> broken.put(ids.next(), SEGMENT, new byte[1]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(settings.bucketName() + "-missing");
    }

    @Test
    void aPresignedGet_fromTheClientsPresigner_servesTheObject() throws IOException {
        String id = ids.next();
        byte[] content = bytes(300, 8);
        store.put(id, SEGMENT, content);

        URL url = clients.presigner().presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket(settings.bucketName()).key(S3StreamStore.key(id, SEGMENT))))
                .url();
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        try (InputStream in = c.getInputStream()) {
            assertThat(c.getResponseCode()).isEqualTo(200);
            assertThat(in.readAllBytes()).isEqualTo(content);
        } finally {
            c.disconnect();
        }
        // Path style under an endpoint override: the emulator serves /bucket/key, not bucket.host.
        assertThat(url.getPath()).startsWith("/" + settings.bucketName() + "/hls/" + id + "/");
        assertThat(url.getQuery()).contains("X-Amz-Signature=");
    }

    @Test
    void theBucket_allowsPlayersToFetchAcrossOrigins() {
        var rules = clients.s3().getBucketCors(b -> b.bucket(settings.bucketName())).corsRules();

        assertThat(rules).singleElement().satisfies(r -> {
            assertThat(r.allowedMethods()).contains("GET", "HEAD");
            assertThat(r.allowedOrigins()).contains("*");
            assertThat(r.allowedHeaders()).contains("Range");
        });
    }

    private HeadObjectResponse head(String key) {
        return clients.s3().headObject(b -> b.bucket(settings.bucketName()).key(key));
    }

    private java.util.List<String> keys(String prefix) {
        return clients.s3().listObjectsV2(b -> b.bucket(settings.bucketName()).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static byte[] read(StreamStore.StoredObject stored, long offset, long length) throws IOException {
        try (InputStream in = stored.open(offset, length)) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
