package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;

import ai.lipsync.audio.PcmAudio;
import ai.lipsync.compose.BgrImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every golden MuseTalk 1.5 output reproduced through DJL on graphs exported at test time from the
 * golden configs and weights (fp32, CPU). Network outputs within 1e-3, uint8 images within 1.
 */
@ExtendWith(GoldenGraphs.class)
class MuseTalkGoldenTest {

    private static final double NET_TOL = 1e-3;
    /** The golden set's video rate (its README: per-video-frame prompts at 25 fps). */
    private static final int GOLDEN_FPS = 25;

    /** A golden [n, c, h, w] latent tensor. */
    private static LatentBatch latents(SafeTensors.Tensor t) {
        long[] s = t.shape();
        return new LatentBatch((int) s[0], (int) s[1], (int) s[2], (int) s[3], t.floats());
    }

    /** A golden [h, w, 3] uint8 BGR tensor. */
    private static BgrImage image(SafeTensors.Tensor t) {
        return new BgrImage((int) t.shape()[1], (int) t.shape()[0], t.bytes());
    }

    @Test
    void unet_matchesGoldenUnetOut(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("unet", "unet/case.safetensors");
        LatentBatch latents = latents(t.get("latents"));
        int n = latents.count();
        LatentBatch out = models.unet().predict(new UNetInput(latents, new AudioPrompts(n, t.get("audio_prompts").floats())));
        assertThat(out.count()).isEqualTo(t.get("unet_out").shape()[0]);
        assertThat(Golden.maxAbsDiff(out.data(), t.get("unet_out").floats())).isLessThan(NET_TOL);
    }

    @Test
    void vaeEncode_matchesGoldenPosteriorMeansTimesScale(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("vae encode", "vae/case.safetensors");
        BgrImage crop = image(t.get("crop_bgr_u8"));
        LatentBatch out = models.vaeEncoder().predict(new VaeEncodeInput(List.of(crop, crop), List.of(true, false)));
        float[] expected = t.get("unet_input_latents_mean").floats(); // cat(masked, reference) * 0.18215
        assertThat(Golden.maxAbsDiff(out.data(), expected)).isLessThan(NET_TOL);
    }

    @Test
    void vaeDecode_matchesGoldenBgrBytesWithin1(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("vae decode", "vae/case.safetensors");
        LatentBatch latents = latents(t.get("decode_latents"));
        List<BgrImage> out = models.vaeDecoder().predict(latents);
        SafeTensors.Tensor expected = t.get("decoded_bgr_u8"); // [n, h, w, 3]
        assertThat(out).hasSize(latents.count());
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (BgrImage image : out) {
            assertThat(new long[] {image.height(), image.width()}).containsExactly(expected.shape()[1], expected.shape()[2]);
            all.writeBytes(image.data());
        }
        assertThat(Golden.maxAbsDiff(all.toByteArray(), expected.bytes())).isLessThanOrEqualTo(1);
    }

    @Test
    void whisperMel_matchesGoldenShortMel(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("whisper short mel", "whisper/short.safetensors");
        MelSpectrogram mel = models.whisperMel().predict(new PcmAudio(t.get("samples").floats(), 16_000));
        assertThat(Golden.maxAbsDiff(mel.data(), t.get("mel").floats())).isLessThan(NET_TOL);
    }

    @Test
    void whisper_shortClip_matchesGoldenHiddenStatesPromptsAndPromptsPe(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("whisper short", "whisper/short.safetensors");
        float[] samples = t.get("samples").floats();
        assertThat(samples.length).isEqualTo(t.get("num_samples").longs()[0]);
        WhisperFeatures f = new WhisperEncoder(models.whisper()::predict).encode(new PcmAudio(samples, 16_000));
        // floor(seconds * 50) steps, as many as the golden hidden states [1, steps, 5, 384] hold
        assertThat(f.steps()).isEqualTo(AudioWindows.actualSteps(samples.length))
                .isEqualTo(t.get("hidden_states").shape()[1]);
        assertThat(Golden.maxAbsDiff(f.data(), t.get("hidden_states").floats())).isLessThan(NET_TOL);

        AudioWindows windows = new AudioWindows(GOLDEN_FPS);
        AudioPrompts prompts = windows.prompts(f, samples.length);
        assertThat(prompts.frames()).isEqualTo(windows.frameCount(samples.length)).isEqualTo(t.get("prompts").shape()[0]);
        assertThat(Golden.maxAbsDiff(prompts.data(), t.get("prompts").floats())).isLessThan(NET_TOL);
        AudioPrompts pe = PositionalEncoding.forAudioPrompts().apply(prompts);
        assertThat(Golden.maxAbsDiff(pe.data(), t.get("prompts_pe").floats())).isLessThan(NET_TOL);
    }

    @Test
    void whisper_longClipAcrossTheSeam_matchesGoldenMelsAndPromptsAtIndex(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("whisper long", "whisper/long.safetensors");
        float[] samples = t.get("samples").floats();
        // each 30 s segment's mel [segments, 80, 3000], the last one zero-padded
        SafeTensors.Tensor mels = t.get("mel");
        int seg = WhisperTranslator.SEGMENT_SAMPLES;
        int segments = (int) mels.shape()[0];
        assertThat(segments).as("the long clip crosses a seam").isGreaterThan(1)
                .isEqualTo((samples.length + seg - 1) / seg);
        int melSize = (int) (mels.shape()[1] * mels.shape()[2]);
        for (int s = 0; s < segments; s++) {
            float[] part = Arrays.copyOfRange(samples, s * seg, Math.min(samples.length, (s + 1) * seg));
            MelSpectrogram mel = models.whisperMel().predict(new PcmAudio(part, 16_000));
            assertThat(Golden.maxAbsDiff(mel.data(), Arrays.copyOfRange(mels.floats(), s * melSize, (s + 1) * melSize)))
                    .as("mel of segment %d", s).isLessThan(NET_TOL);
        }
        WhisperFeatures f = new WhisperEncoder(models.whisper()::predict).encode(new PcmAudio(samples, 16_000));
        AudioWindows windows = new AudioWindows(GOLDEN_FPS);
        assertThat(windows.frameCount(samples.length)).isEqualTo(t.get("num_frames").longs()[0]);
        int[] index = Arrays.stream(t.get("frame_index").longs()).mapToInt(Math::toIntExact).toArray();
        AudioPrompts at = windows.promptsAt(f, samples.length, index);
        assertThat(Golden.maxAbsDiff(at.data(), t.get("prompts_at_index").floats())).isLessThan(NET_TOL);
    }

    /**
     * Speech that comes in two chunks, the first ending at the reference's 30 s seam: the chunk starts a
     * Whisper segment as the seam does, and the windows of the frames around it take the steps of both
     * chunks, so the prompts there are the reference's.
     */
    @Test
    void whisperStream_withAChunkEndingAtTheSeam_givesTheReferencePromptsAcrossIt(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("whisper long", "whisper/long.safetensors");
        float[] samples = t.get("samples").floats();
        int seam = WhisperTranslator.SEGMENT_SAMPLES;
        WhisperStream stream = new WhisperStream(new WhisperEncoder(models.whisper()::predict));
        AudioWindows windows = new AudioWindows(GOLDEN_FPS);

        stream.append(new PcmAudio(Arrays.copyOfRange(samples, 0, seam), 16_000));
        int[] index = Arrays.stream(t.get("frame_index").longs()).mapToInt(Math::toIntExact).toArray();
        int seamFrame = windows.frameCount(seam);
        assertThat(Arrays.stream(index).boxed().toList()).as("golden frames around the seam")
                .anyMatch(f -> f < seamFrame).anyMatch(f -> f >= seamFrame - 3 && f <= seamFrame + 3);
        assertThat(windows.stepsNeeded(seamFrame - 1)).as("the last frames before the seam wait for the next chunk")
                .isGreaterThan(stream.steps());
        stream.append(new PcmAudio(Arrays.copyOfRange(samples, seam, samples.length), 16_000));
        AudioPrompts at = windows.promptsAt(stream, samples.length, index);

        assertThat(stream.steps()).isEqualTo(AudioWindows.actualSteps(samples.length));
        assertThat(Golden.maxAbsDiff(at.data(), t.get("prompts_at_index").floats())).isLessThan(NET_TOL);
    }

    @Test
    void blendMask_fromTheGoldenFrameParsedByBiSeNet_coversTheCropBoxLowerHalfOnly(MuseTalkModels models) throws Exception {
        BgrImage frame = Golden.bgr("blend", "blend/frame.png");
        ai.lipsync.avatar.GoldenBlendCase blend = ai.lipsync.avatar.GoldenBlendCase.read(Golden.require("blend", "blend/case.json"));
        ai.lipsync.avatar.BlendMask mask = blend.builder().build(frame, blend.faceBox(),
                img -> models.faceParser().predict(FaceParsingInput.fromBgr(List.of(img))).labels().get(0));
        assertThat(mask.cropBox()).isEqualTo(blend.cropBox());
        int side = blend.cropBox().width();
        // rows above the zeroed upper part minus the blur radius stay zero whatever the (random-weight) parser says
        int zeroRows = blend.zeroedRows() - blend.blurRadius();
        assertThat(zeroRows).isPositive();
        byte[] m = mask.mask().data();
        for (int i = 0; i < side * zeroRows; i++) {
            assertThat(m[i]).as("mask pixel %d", i).isZero();
        }
    }

    @Test
    void bisenet_matchesGoldenLogitsAndArgmax(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("bisenet", "bisenet/case.safetensors");
        FaceParsingInput input = new FaceParsingInput(1, t.get("input").floats());
        FaceParsing out = models.faceParser().predict(input);
        float[] logits;
        try (FaceParserLogits raw = new FaceParserLogits(models)) {
            logits = raw.predict(input);
        }
        float[] expected = t.get("logits").floats(); // stored as float16
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        // the golden logits were rounded to float16: allow its half-ulp at the largest magnitude
        double tol = Math.max(NET_TOL, scale * Math.pow(2, -11));
        assertThat(Golden.maxAbsDiff(logits, expected)).isLessThan(tol);

        byte[] argmax = t.get("argmax").bytes();
        byte[] labels = out.labels().get(0).data();
        long[] shape = t.get("argmax").shape(); // [1, h, w]
        int plane = (int) (shape[1] * shape[2]);
        for (int p = 0; p < plane; p++) {
            int mine = labels[p] & 0xFF;
            int theirs = argmax[p] & 0xFF;
            if (mine != theirs) {
                // only a near-tie may flip: both classes within the tolerance in our logits
                double gap = logits[mine * plane + p] - logits[theirs * plane + p];
                assertThat(gap).as("argmax differs at pixel %d (%d vs %d)", p, mine, theirs).isLessThan(2 * tol);
            }
        }
    }
}
