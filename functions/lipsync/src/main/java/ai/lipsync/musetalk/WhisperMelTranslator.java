package ai.lipsync.musetalk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.musetalk.ModelManifest.GraphSpec;

/** {@code whisper_mel}: one zero-padded 30 s segment, float32[480000] -> log-mel float[80,3000]. */
final class WhisperMelTranslator implements NoBatchifyTranslator<PcmAudio, MelSpectrogram> {
    private final GraphSpec spec;

    WhisperMelTranslator(GraphSpec spec) {
        this.spec = spec;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, PcmAudio audio) {
        return new NDList(WhisperTranslator.segment(ctx, spec, audio));
    }

    @Override
    public MelSpectrogram processOutput(TranslatorContext ctx, NDList list) {
        NDArray out = list.singletonOrThrow();
        GraphTensors.checkOutput(spec, out, 80, 3000);
        return new MelSpectrogram(80, 3000, GraphTensors.floatsOut(out, 1, 80 * 3000));
    }
}
