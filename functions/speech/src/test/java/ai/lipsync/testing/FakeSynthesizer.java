package ai.lipsync.testing;

import ai.lipsync.session.Language;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.SynthesizedSpeech;

import java.util.function.Supplier;

/** Stands in for the external TTS service: answers with prepared (real, encoded) audio or fails. */
public final class FakeSynthesizer implements SpeechSynthesizer {
    private final Supplier<SynthesizedSpeech> answer;

    public FakeSynthesizer(Supplier<SynthesizedSpeech> answer) {
        this.answer = answer;
    }

    public static FakeSynthesizer returning(byte[] audio, String contentType) {
        return new FakeSynthesizer(() -> new SynthesizedSpeech(audio, contentType));
    }

    public static FakeSynthesizer failing(RuntimeException failure) {
        return new FakeSynthesizer(() -> {
            throw failure;
        });
    }

    @Override
    public SynthesizedSpeech synthesize(String text, Language lang) {
        return answer.get();
    }

    @Override
    public String name() {
        return "fake";
    }
}
