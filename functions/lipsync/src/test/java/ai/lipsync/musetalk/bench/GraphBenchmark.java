package ai.lipsync.musetalk.bench;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.musetalk.AudioPrompts;
import ai.lipsync.musetalk.FaceParsingInput;
import ai.lipsync.musetalk.Graph;
import ai.lipsync.musetalk.GraphPredictor;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.musetalk.UNetInput;
import ai.lipsync.musetalk.VaeEncodeInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Per-graph latency and frames/s through DJL, by batch size, for an exported graph directory.
 *
 * <pre>
 * mvn -q -pl functions/lipsync -am test-compile exec:java -Dexec.skip=true -Dexec.classpathScope=test \
 *   -Dexec.mainClass=ai.lipsync.musetalk.bench.GraphBenchmark \
 *   -Dexec.args="--graphs functions/lipsync/target/golden-graphs --batches 1,4,8 --seconds 3 [--only unet,vae_decode] [--gpu]"
 * </pre>
 *
 * Each (graph, batch) gets {@code --warmup} calls (2), then runs until {@code --seconds} have passed
 * and at least {@code --iters} calls (3) are done; it prints the median and the best call. Random inputs: speed does not depend on
 * values for these graphs.
 */
public final class GraphBenchmark {

    private record Row(String graph, int batch, int calls, double medianMs, double minMs, double framesPerSecond) {
    }

    private GraphBenchmark() {
    }

    public static void main(String[] args) {
        // exec:java runs in Maven's JVM, where surefire's settings are absent
        defaultProperty("ai.djl.offline", "true");
        defaultProperty("DJL_CACHE_DIR", Path.of("functions/lipsync/target/djl-cache").toAbsolutePath().toString());
        defaultProperty("ENGINE_CACHE_DIR", Path.of("functions/lipsync/target/djl-cache").toAbsolutePath().toString());
        Path graphs = null;
        List<Integer> batches = List.of(1, 4, 8);
        double seconds = 3;
        List<String> only = List.of();
        boolean gpu = false;
        int iters = 3;
        int warmup = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--graphs" -> graphs = Path.of(args[++i]);
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                case "--gpu" -> gpu = true;
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: --graphs DIR [--batches 1,4,8] [--seconds 3] [--iters 3] [--warmup 2] [--only unet,vae_decode] [--gpu]");
            }
        }
        if (graphs == null) {
            throw new IllegalArgumentException("--graphs DIR is required");
        }
        final int minCalls = iters;
        final int warmups = warmup;
        List<Row> rows = new ArrayList<>();
        try (MuseTalkModels models = MuseTalkModels.load(graphs, gpu)) {
            System.out.printf(Locale.ROOT, "# DJL %s, graphs %s, precision %s, device %s, %d CPU threads%n",
                    ai.djl.engine.Engine.getEngine("PyTorch").getVersion(), graphs, models.manifest().precision(),
                    models.device(), Runtime.getRuntime().availableProcessors());
            SplittableRandom rnd = new SplittableRandom(7);
            for (String name : List.of("unet", "vae_decode", "vae_encode", "bisenet", "whisper", "whisper_mel")) {
                if (!models.has(name) || (!only.isEmpty() && !only.contains(name))) {
                    continue;
                }
                GraphSpec spec = models.manifest().graphs().get(name);
                boolean perSegment = name.startsWith("whisper");
                List<Integer> bs = perSegment ? List.of(1) : spec.dynamicBatch() ? batches : List.of(spec.batch());
                for (int b : bs) {
                    rows.add(switch (name) {
                        case "unet" -> run(name, b, seconds, minCalls, warmups, models.unet(), n -> unetInput(n, rnd));
                        case "vae_decode" -> run(name, b, seconds, minCalls, warmups, models.vaeDecoder(),
                                n -> new LatentBatch(n, 4, 32, 32, floats(n * 4 * 32 * 32, rnd)));
                        case "vae_encode" -> run(name, b, seconds, minCalls, warmups, models.vaeEncoder(), n -> encodeInput(n, rnd));
                        case "bisenet" -> run(name, b, seconds, minCalls, warmups, models.faceParser(),
                                n -> new FaceParsingInput(n, floats(n * 3 * 512 * 512, rnd)));
                        case "whisper" -> run(name, b, seconds, minCalls, warmups, models.whisper(),
                                n -> new PcmAudio(floats(480_000, rnd), 16_000));
                        default -> run(name, b, seconds, minCalls, warmups, models.whisperMel(),
                                n -> new PcmAudio(floats(480_000, rnd), 16_000));
                    });
                    Row r = rows.get(rows.size() - 1);
                    System.out.printf(Locale.ROOT, "%-12s batch %3d  %4d calls  median %9.2f ms  min %9.2f ms  %9.2f %s/s%n",
                            r.graph, r.batch, r.calls, r.medianMs, r.minMs, r.framesPerSecond,
                            perSegment ? "segments" : "frames");
                }
            }
        }
    }

    private static <I, O> Row run(String name, int batch, double seconds, int minCalls, int warmups,
                                  Graph<I, O> graph, IntFunction<I> input) {
        I in = input.apply(batch);
        try (GraphPredictor<I, O> p = graph.newPredictor()) {
            for (int w = 0; w < warmups; w++) {
                p.predict(in);
            }
            List<Double> ms = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (ms.size() < minCalls || System.nanoTime() < end) {
                long t0 = System.nanoTime();
                p.predict(in);
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            Collections.sort(ms);
            double median = ms.get(ms.size() / 2);
            return new Row(name, batch, ms.size(), median, ms.get(0), batch * 1000.0 / median);
        }
    }

    private static UNetInput unetInput(int n, SplittableRandom rnd) {
        return new UNetInput(new LatentBatch(n, 8, 32, 32, floats(n * 8 * 32 * 32, rnd)),
                new AudioPrompts(n, floats(n * AudioPrompts.FRAME_SIZE, rnd)));
    }

    private static VaeEncodeInput encodeInput(int n, SplittableRandom rnd) {
        List<BgrImage> crops = new ArrayList<>();
        List<Boolean> masks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[256 * 256 * 3];
            for (int j = 0; j < d.length; j++) {
                d[j] = (byte) rnd.nextInt(256);
            }
            crops.add(new BgrImage(256, 256, d));
            masks.add(i % 2 == 0);
        }
        return new VaeEncodeInput(crops, masks);
    }

    private static float[] floats(int n, SplittableRandom rnd) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return f;
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
