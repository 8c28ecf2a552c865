package ai.lipsync.audio;

/**
 * How speech energy becomes mouth opening.
 *
 * @param windowSeconds length of the RMS window centred on each video frame; longer is smoother
 *     but blurs syllables
 * @param attack one-pole smoothing factor (0..1] when energy rises; 1 follows onsets at once
 * @param release smoothing factor (0..1] when energy falls; smaller closes the mouth more slowly
 * @param gateDbfs frames quieter than this (dB below full scale) count as silence
 * @param referencePercentile the loudness percentile (0..1) of voiced frames that maps to 1.0, so
 *     a single loud peak does not keep the mouth half-shut for the rest of the utterance
 * @param floor smoothed values below this snap to exactly 0, so silence leaves the face untouched
 */
public record EnvelopeSettings(double windowSeconds, double attack, double release, double gateDbfs,
        double referencePercentile, double floor) {

    public EnvelopeSettings {
        if (windowSeconds <= 0 || attack <= 0 || attack > 1 || release <= 0 || release > 1
                || referencePercentile <= 0 || referencePercentile > 1 || floor < 0 || floor >= 1) {
            throw new IllegalArgumentException("invalid envelope settings: windowSeconds=" + windowSeconds
                    + " attack=" + attack + " release=" + release + " referencePercentile=" + referencePercentile
                    + " floor=" + floor);
        }
    }

    public static EnvelopeSettings defaults() {
        return new EnvelopeSettings(0.05, 0.75, 0.5, -42, 0.9, 0.03);
    }
}
