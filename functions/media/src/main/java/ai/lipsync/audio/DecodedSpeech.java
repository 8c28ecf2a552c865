package ai.lipsync.audio;

import java.util.Objects;

/**
 * The speech decoded once, in the two forms the generation needs, on one timeline.
 *
 * @param fullBand what the viewer hears: the speech at the stream's sample rate, with the whole band the
 *     speech service produced
 * @param model the {@value AudioDecoder#SAMPLE_RATE} Hz copy the lip-sync engines read, resampled from the
 *     same decoded samples as {@code fullBand} (the same instant is the same sample time in both)
 */
public record DecodedSpeech(PcmAudio fullBand, PcmAudio model) {

    public DecodedSpeech {
        Objects.requireNonNull(fullBand, "fullBand");
        Objects.requireNonNull(model, "model");
        if (model.sampleRate() != AudioDecoder.SAMPLE_RATE) {
            throw new IllegalArgumentException("the model copy must be " + AudioDecoder.SAMPLE_RATE + " Hz, not "
                    + model.sampleRate());
        }
    }
}
