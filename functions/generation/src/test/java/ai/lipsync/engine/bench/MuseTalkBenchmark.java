package ai.lipsync.engine.bench;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.avatar.Avatar;
import ai.lipsync.avatar.BlendMask;
import ai.lipsync.avatar.PreparedAvatar;
import ai.lipsync.avatar.ProceduralAvatar;
import ai.lipsync.compose.BgrImage;
import ai.lipsync.compose.FaceCompositor;
import ai.lipsync.compose.MaskBlender;
import ai.lipsync.engine.MuseTalkEngine;
import ai.lipsync.engine.MuseTalkSettings;
import ai.lipsync.hls.EncoderProbe;
import ai.lipsync.hls.HlsSegmentWriter;
import ai.lipsync.hls.HlsSettings;
import ai.lipsync.hls.HlsWriterFactory;
import ai.lipsync.musetalk.AudioWindows;
import ai.lipsync.musetalk.LatentBatch;
import ai.lipsync.musetalk.MuseTalkModels;
import ai.lipsync.musetalk.UNetInput;
import ai.lipsync.musetalk.WhisperEncoder;
import ai.lipsync.musetalk.WhisperFeatures;
import ai.lipsync.pipeline.GenerationPipeline;
import ai.lipsync.pipeline.PipelineSettings;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionStore;
import ai.lipsync.storage.FileSystemStreamStore;
import ai.lipsync.testing.FakeSynthesizer;
import ai.lipsync.testing.MuseTalkTestAvatars;
import ai.lipsync.testing.TestAudio;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: frames/s of each MuseTalk stage on this machine (features, UNet, VAE decode, blend,
 * encode), the whole pipeline and its real-time factor. Run from the repository root:
 * <pre>
 * mvn -q -pl functions/generation -am test-compile exec:java -Dexec.skip=true -Dlipsync.exec.skip=true -Dexec.classpathScope=test \
 *     -Dexec.mainClass=ai.lipsync.engine.bench.MuseTalkBenchmark \
 *     -Dexec.args="--graphs functions/lipsync/target/golden-graphs [--fill DIR] [--seconds 4] [--batches 3]"
 * </pre>
 * {@code --fill DIR} takes the graphs {@code --graphs} lacks from DIR (the full-size export has only
 * unet, vae_decode and vae_encode; whisper-tiny and BiSeNet are full-size in the golden set already).
 * Avatar preparation per frame is the test preparer's (bisenet + vae_encode per frame), not the
 * avatar-preparation store's.
 */
public final class MuseTalkBenchmark {
    private static final int FPS = 25;

    private MuseTalkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path graphs = Path.of(opts.getOrDefault("graphs", "functions/lipsync/target/golden-graphs")).toAbsolutePath();
        double seconds = Double.parseDouble(opts.getOrDefault("seconds", "4"));
        int batches = Integer.parseInt(opts.getOrDefault("batches", "3"));
        Path root = Files.createTempDirectory("musetalk-bench-");
        Path dir = opts.containsKey("fill") ? merge(graphs, Path.of(opts.get("fill")).toAbsolutePath(), root) : graphs;

        try (MuseTalkModels models = MuseTalkModels.load(dir, false)) {
            int b = models.unet().spec().batch();
            System.out.printf(Locale.ROOT, "graphs: %s (unet/vae from %s), batch %d, device %s, cores %d%n", dir, graphs,
                    b, models.device(), Runtime.getRuntime().availableProcessors());
            PcmAudio speech = TestAudio.speechLike(seconds, 0, 0, AudioDecoder.SAMPLE_RATE);
            Avatar full = ProceduralAvatar.defaultAvatar().render(FPS);

            long t = System.nanoTime();
            PreparedAvatar prepared = new MuseTalkTestAvatars(models, (id, fps) -> full, 8,
                    MuseTalkTestAvatars.drawnFaceParser()).prepare(full);
            report("avatar preparation (test preparer: bisenet + 2x vae_encode)", prepared.avatar().frames().size(), t);

            t = System.nanoTime();
            WhisperFeatures features = new WhisperEncoder(models.whisper()::predict).encode(speech);
            AudioWindows windows = new AudioWindows(FPS);
            int frames = windows.frameCount(speech.samples().length);
            report("features (whisper, " + seconds + " s of audio)", frames, t);

            int[] idx = new int[b];
            List<LatentBatch> parts = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                idx[i] = i;
                parts.add(prepared.latents().frame(prepared.avatar().sourceIndex(i)));
            }
            UNetInput input = new UNetInput(LatentBatch.concat(parts), windows.promptsAt(features, speech.samples().length, idx));
            LatentBatch out = models.unet().predict(input); // warm-up
            t = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                out = models.unet().predict(input);
            }
            report("unet", batches * b, t);
            List<BgrImage> faces = models.vaeDecoder().predict(out);
            t = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                faces = models.vaeDecoder().predict(out);
            }
            report("vae_decode", batches * b, t);

            FaceCompositor compositor = new FaceCompositor(new MaskBlender());
            int blendFrames = Math.max(50, batches * b);
            List<BgrImage> composed = new ArrayList<>();
            t = System.nanoTime();
            for (int i = 0; i < blendFrames; i++) {
                int src = prepared.avatar().sourceIndex(i);
                BlendMask mask = prepared.masks().get(src);
                composed.add(compositor.compose(prepared.avatar().frames().get(src), faces.get(i % faces.size()),
                        prepared.faceBoxes().get(src), mask.cropBox(), mask.mask()));
            }
            report("blend (resize + mask, " + full.width() + "x" + full.height() + ")", blendFrames, t);

            HlsSettings hls = HlsSettings.defaults().withWorkDir(root.resolve("work"));
            FileSystemStreamStore streams = new FileSystemStreamStore(root.resolve("hls"));
            HlsWriterFactory writers = new HlsWriterFactory(
                    EncoderProbe.create(hls, Math.max(full.width(), full.height()), FPS), streams);
            PcmAudio encodeAudio = TestAudio.speechLike(blendFrames / (double) FPS, 0, 0, AudioDecoder.SAMPLE_RATE);
            t = System.nanoTime();
            try (HlsSegmentWriter writer = writers.open(SessionIds.create().next(), full.width(), full.height(), FPS, encodeAudio,
                    blendFrames, (i, s) -> { })) {
                composed.forEach(writer::write);
                writer.finish();
            }
            report("encode (H.264 + AAC, HLS publish)", blendFrames, t);

            SessionStore sessions = new InMemorySessionStore();
            MuseTalkTestAvatars avatars = new MuseTalkTestAvatars(models, (id, fps) -> full, 8,
                    MuseTalkTestAvatars.drawnFaceParser());
            avatars.get("default", FPS); // prepared once, as the cache does
            GenerationPipeline pipeline = new GenerationPipeline(sessions,
                    FakeSynthesizer.returning(TestAudio.wav(speech), "audio/wav"), new AudioDecoder(),
                    new ai.lipsync.pipeline.TtsAudioStore(root.resolve("audio"), ai.lipsync.audio.Mp3Encoder.defaultEncoder()),
                    ai.lipsync.avatar.AvatarCatalog.create(ai.lipsync.avatar.AvatarSettings.defaults()
                            .withVideoDir(root.resolve("video"))), avatars,
                    new MuseTalkEngine(models, MuseTalkSettings.defaults()), writers, PipelineSettings.defaults(),
                    Clock.systemUTC());
            String id = SessionIds.create().next();
            sessions.create(Session.created(id, "benchmark", Language.EN, "default", Clock.systemUTC().instant()));
            t = System.nanoTime();
            pipeline.handle(new GenerationJob(id, "benchmark", Language.EN, "default"));
            double total = (System.nanoTime() - t) / 1e9;
            Session done = sessions.find(id).orElseThrow();
            System.out.printf(Locale.ROOT, "%-58s %6d frames %8.2f s %8.2f frames/s  real-time factor %.2f (%s)%n",
                    "whole pipeline (TTS stub, decode, features, frames, encode)", frames, total, frames / total,
                    total / seconds, done.status().wireName());
        }
    }

    private static void report(String stage, int frames, long start) {
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%-58s %6d frames %8.2f s %8.2f frames/s%n", stage, frames, s, frames / s);
    }

    /** A manifest with {@code main}'s graphs and the ones only {@code fill} has, files by absolute path. */
    private static Path merge(Path main, Path fill, Path root) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = (ObjectNode) json.readTree(main.resolve("manifest.json").toFile());
        ObjectNode f = (ObjectNode) json.readTree(fill.resolve("manifest.json").toFile());
        ObjectNode graphs = (ObjectNode) m.get("graphs");
        graphs.fields().forEachRemaining(e -> ((ObjectNode) e.getValue()).put("file",
                main.resolve(e.getValue().get("file").asText()).toString()));
        for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = f.get("graphs").fields(); it.hasNext(); ) {
            var e = it.next();
            if (!graphs.has(e.getKey())) {
                ((ObjectNode) e.getValue()).put("file", fill.resolve(e.getValue().get("file").asText()).toString());
                graphs.set(e.getKey(), e.getValue());
            }
        }
        Path dir = Files.createDirectories(root.resolve("merged"));
        Files.write(dir.resolve("manifest.json"), json.writeValueAsBytes(m));
        return dir;
    }
}
