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

    @Test
    void unet_matchesGoldenUnetOut(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("unet", "unet/case.safetensors");
        SafeTensors.Tensor l = t.get("latents");
        int n = (int) l.shape()[0];
        LatentBatch out = models.unet().predict(new UNetInput(new LatentBatch(n, 8, 32, 32, l.floats()),
                new AudioPrompts(n, t.get("audio_prompts").floats())));
        assertThat(out.count()).isEqualTo(3);
        assertThat(Golden.maxAbsDiff(out.data(), t.get("unet_out").floats())).isLessThan(NET_TOL);
    }

    @Test
    void vaeEncode_matchesGoldenPosteriorMeansTimesScale(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("vae encode", "vae/case.safetensors");
        BgrImage crop = new BgrImage(256, 256, t.get("crop_bgr_u8").bytes());
        LatentBatch out = models.vaeEncoder().predict(new VaeEncodeInput(List.of(crop, crop), List.of(true, false)));
        float[] expected = t.get("unet_input_latents_mean").floats(); // cat(masked, reference) * 0.18215
        assertThat(Golden.maxAbsDiff(out.data(), expected)).isLessThan(NET_TOL);
    }

    @Test
    void vaeDecode_matchesGoldenBgrBytesWithin1(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("vae decode", "vae/case.safetensors");
        SafeTensors.Tensor l = t.get("decode_latents");
        List<BgrImage> out = models.vaeDecoder().predict(new LatentBatch(2, 4, 32, 32, l.floats()));
        byte[] all = new byte[2 * 256 * 256 * 3];
        System.arraycopy(out.get(0).data(), 0, all, 0, 256 * 256 * 3);
        System.arraycopy(out.get(1).data(), 0, all, 256 * 256 * 3, 256 * 256 * 3);
        assertThat(Golden.maxAbsDiff(all, t.get("decoded_bgr_u8").bytes())).isLessThanOrEqualTo(1);
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
        WhisperFeatures f = new WhisperEncoder(models.whisper()::predict).encode(new PcmAudio(samples, 16_000));
        assertThat(f.steps()).isEqualTo(168);
        assertThat(Golden.maxAbsDiff(f.data(), t.get("hidden_states").floats())).isLessThan(NET_TOL);

        AudioPrompts prompts = new AudioWindows(25).prompts(f, samples.length);
        assertThat(prompts.frames()).isEqualTo(84);
        assertThat(Golden.maxAbsDiff(prompts.data(), t.get("prompts").floats())).isLessThan(NET_TOL);
        AudioPrompts pe = PositionalEncoding.forAudioPrompts().apply(prompts);
        assertThat(Golden.maxAbsDiff(pe.data(), t.get("prompts_pe").floats())).isLessThan(NET_TOL);
    }

    @Test
    void whisper_longClipAcrossTheSeam_matchesGoldenMelsAndPromptsAtIndex(MuseTalkModels models) {
        SafeTensors t = Golden.tensors("whisper long", "whisper/long.safetensors");
        float[] samples = t.get("samples").floats();
        // each 30 s segment's mel, the second one zero-padded
        float[] mels = t.get("mel").floats();
        for (int s = 0; s < 2; s++) {
            float[] seg = Arrays.copyOfRange(samples, s * 480_000, Math.min(samples.length, (s + 1) * 480_000));
            MelSpectrogram mel = models.whisperMel().predict(new PcmAudio(seg, 16_000));
            assertThat(Golden.maxAbsDiff(mel.data(), Arrays.copyOfRange(mels, s * 240_000, (s + 1) * 240_000)))
                    .as("mel of segment %d", s).isLessThan(NET_TOL);
        }
        WhisperFeatures f = new WhisperEncoder(models.whisper()::predict).encode(new PcmAudio(samples, 16_000));
        AudioWindows windows = new AudioWindows(25);
        assertThat(windows.frameCount(samples.length)).isEqualTo(t.get("num_frames").longs()[0]);
        int[] index = Arrays.stream(t.get("frame_index").longs()).mapToInt(Math::toIntExact).toArray();
        AudioPrompts at = windows.promptsAt(f, samples.length, index);
        assertThat(Golden.maxAbsDiff(at.data(), t.get("prompts_at_index").floats())).isLessThan(NET_TOL);
    }

    @Test
    void blendMask_fromTheGoldenFrameParsedByBiSeNet_coversTheCropBoxLowerHalfOnly(MuseTalkModels models) throws Exception {
        BgrImage frame = Golden.bgr("blend", "blend/frame.png");
        com.fasterxml.jackson.databind.JsonNode box = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Golden.require("blend", "blend/case.json").toFile()).get("bbox_with_margin");
        ai.lipsync.compose.PixelBox faceBox = new ai.lipsync.compose.PixelBox(box.get(0).asInt(), box.get(1).asInt(),
                box.get(2).asInt(), box.get(3).asInt());
        ai.lipsync.avatar.BlendMask mask = ai.lipsync.avatar.BlendMaskBuilder.defaults().build(frame, faceBox,
                img -> models.faceParser().predict(FaceParsingInput.fromBgr(List.of(img))).labels().get(0));
        assertThat(mask.cropBox().width()).isEqualTo(224);
        byte[] m = mask.mask().data();
        // rows above the box centre minus the blur radius stay zero whatever the (random-weight) parser says
        for (int i = 0; i < 224 * (112 - 11); i++) {
            assertThat(m[i]).isZero();
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
        int plane = 512 * 512;
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
