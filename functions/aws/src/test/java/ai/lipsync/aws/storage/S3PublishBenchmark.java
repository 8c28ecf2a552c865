package ai.lipsync.aws.storage;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.session.SessionIds;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The added cost per segment of publishing to S3 (moto on this machine) beside the filesystem
 * store: each "segment" is one segment put plus one playlist put, as the HLS writer publishes.
 * <pre>
 * mvn -q -pl functions/aws -am test-compile exec:java -Dexec.skip=true -Dexec.classpathScope=test \
 *     -Dexec.mainClass=ai.lipsync.aws.storage.S3PublishBenchmark [-Dexec.args="segments kib"]
 * </pre>
 */
public final class S3PublishBenchmark {
    private S3PublishBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int segments = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int kib = args.length > 1 ? Integer.parseInt(args[1]) : 150; // ~1 s of 512x512 H.264 + AAC
        byte[] segment = new byte[kib * 1024];
        new Random(1).nextBytes(segment);
        byte[] playlist = "#EXTM3U\n".repeat(40).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        Path dir = Files.createTempDirectory("fs-publish");
        try (MotoServer moto = MotoServer.start()) {
            AwsSettings settings = moto.freshSettings();
            try (AwsClients clients = AwsClients.create(settings, moto.credentials())) {
                new AwsResources(clients, settings).ensureBucket();
                double[] s3 = run(new S3StreamStore(clients.s3(), settings.bucketName()), segments, segment, playlist);
                double[] fs = run(new FileSystemStreamStore(dir), segments, segment, playlist);
                System.out.printf(Locale.ROOT, "segment %d KiB + playlist, %d segments (first 5 not counted)%n",
                        kib, segments);
                print("filesystem", fs);
                print("s3 (moto)", s3);
                System.out.printf(Locale.ROOT, "added cost of the S3 publish per segment: %.1f ms (median)%n",
                        median(s3) - median(fs));
            }
        } finally {
            ai.lipsync.storage.DirectoryTrees.delete(dir);
        }
    }

    private static double[] run(StreamStore store, int segments, byte[] segment, byte[] playlist)
            throws IOException {
        SessionIds ids = SessionIds.create();
        String id = ids.next();
        StreamFile pl = StreamFile.parse(StreamFile.PLAYLIST).orElseThrow();
        double[] ms = new double[segments];
        for (int i = 0; i < segments + 5; i++) {
            StreamFile file = StreamFile.parse(String.format(Locale.ROOT, "segment_%03d.m4s", i % 1000)).orElseThrow();
            long t0 = System.nanoTime();
            store.put(id, file, segment);
            store.put(id, pl, playlist);
            if (i >= 5) {
                ms[i - 5] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return ms;
    }

    private static void print(String name, double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-11s median %6.1f ms  p95 %6.1f ms  mean %6.1f ms%n", name, median(ms),
                sorted[(int) Math.min(sorted.length - 1, Math.round(sorted.length * 0.95))],
                Arrays.stream(ms).average().orElse(0));
    }

    private static double median(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
