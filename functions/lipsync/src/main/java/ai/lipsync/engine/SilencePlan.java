package ai.lipsync.engine;

/**
 * Where MuseTalk's mouth must stay shut: MuseTalk keeps moving the lips during pauses (a property of
 * its training data, reference section 8), so silent spans show the source frames instead. Per frame
 * a weight in [0, 1] says how much of the generated face to show: 1 while speaking, 0 inside a
 * silence, ramping over {@code fadeFrames} frames at each edge of the silence so the cut is a
 * cross-fade. Pauses shorter than {@code minSilentFrames} (between words) stay generated.
 *
 * @param minSilentFrames the shortest run of silent frames treated as a pause
 * @param fadeFrames frames of cross-fade inside each edge of a pause
 */
public record SilencePlan(int minSilentFrames, int fadeFrames) {

    public SilencePlan {
        if (minSilentFrames < 1 || fadeFrames < 0) {
            throw new IllegalArgumentException("silence plan needs minSilentFrames >= 1 and fadeFrames >= 0, got "
                    + minSilentFrames + " and " + fadeFrames);
        }
    }

    /** 0.3 s pauses at 25 fps, 3-frame fades. */
    public static SilencePlan defaults() {
        return new SilencePlan(8, 3);
    }

    /**
     * @param energy per-frame speech energy, 0 = silent ({@link ai.lipsync.audio.SpeechEnvelope}); may be
     *     longer than {@code frames} (missing frames count as silent)
     * @return the generated face's weight for each of {@code frames} frames
     */
    public float[] weights(float[] energy, int frames) {
        float[] w = new float[frames];
        java.util.Arrays.fill(w, 1f);
        int f = 0;
        while (f < frames) {
            if (energyAt(energy, f) > 0) {
                f++;
                continue;
            }
            int start = f;
            while (f < frames && energyAt(energy, f) <= 0) {
                f++;
            }
            int end = f; // silent run [start, end)
            if (end - start < minSilentFrames) {
                continue;
            }
            // A run touching the start or end of the utterance fades only on its inner edge.
            boolean speechBefore = start > 0;
            boolean speechAfter = end < frames;
            for (int i = start; i < end; i++) {
                int distance = Integer.MAX_VALUE; // frames from the nearest speech frame
                if (speechBefore) {
                    distance = Math.min(distance, i - start + 1);
                }
                if (speechAfter) {
                    distance = Math.min(distance, end - i);
                }
                w[i] = distance <= fadeFrames ? 1f - distance / (float) (fadeFrames + 1) : 0f;
            }
        }
        return w;
    }

    private static float energyAt(float[] energy, int f) {
        return f < energy.length ? energy[f] : 0f;
    }
}
