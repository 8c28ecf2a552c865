package ai.lipsync.musetalk;

import ai.lipsync.audio.AudioDecoder;

import java.util.Objects;

/**
 * MuseTalk's per-video-frame audio windows ({@code AudioProcessor.get_whisper_chunk},
 * musetalk-reference.md section 2): the Whisper steps are trimmed to {@code floor(L/16000*50)},
 * padded in feature space with {@code 2*ceil(50/fps)} zero steps on the left and
 * {@code 6*ceil(50/fps)} on the right, and frame {@code f} takes the 10 steps starting at
 * {@code floor(f*50/fps)}, flattened as token {@code step*5 + layer}.
 *
 * <p>The arithmetic is done in doubles exactly as Python's floats do it, so frame counts agree with
 * the reference even where {@code L/16000*fps} is not exact.
 *
 * <p>Frame rates of 50 and above are refused ({@link #MAX_FPS}): there {@code ceil(50/fps)} is 1, the
 * right pad (6 steps) is shorter than the 10-step window, and the last frames' windows run past the
 * padded features, where the reference asserts and exits. The windows also stop being centred on
 * their frame (2 steps before it instead of 4), unlike training, so no padding of ours would make
 * those rates MuseTalk's.
 */
public final class AudioWindows {
    public static final int AUDIO_FPS = 50;
    /** Whisper steps per video frame: 2*(left + right + 1) with left = right = 2. */
    public static final int WINDOW = 10;
    private static final int LEFT = 2;
    private static final int RIGHT = 2;
    /** The highest frame rate whose windows all lie inside the reference's padding. */
    public static final int MAX_FPS = AUDIO_FPS - 1;

    private final int fps;
    private final double multiplier;
    private final int leftPad;
    private final int rightPad;

    /** @param fps video frames per second, 1 to {@link #MAX_FPS} (an int in the reference; 25 by default) */
    public AudioWindows(int fps) {
        if (!supports(fps)) {
            throw new IllegalArgumentException("MuseTalk's audio windows work at 1 to " + MAX_FPS + " fps, not " + fps
                    + ": at " + AUDIO_FPS + " fps and above the last frames' windows run past the reference's padding");
        }
        this.fps = fps;
        this.multiplier = AUDIO_FPS / (double) fps;
        int p = (int) Math.ceil(multiplier);
        this.leftPad = p * LEFT;
        this.rightPad = p * 3 * RIGHT;
    }

    /** Whether the reference's windows exist for every frame at {@code fps}. */
    public static boolean supports(int fps) {
        return fps >= 1 && fps <= MAX_FPS;
    }

    public int fps() {
        return fps;
    }

    /** {@code floor(L/16000*fps)}: the number of video frames for {@code numSamples} of 16 kHz audio. */
    public int frameCount(long numSamples) {
        return (int) Math.floor(numSamples / (double) AudioDecoder.SAMPLE_RATE * fps);
    }

    /** {@code floor(L/16000*50)}: the Whisper steps that carry real audio. */
    public static int actualSteps(long numSamples) {
        return (int) Math.floor(numSamples / (double) AudioDecoder.SAMPLE_RATE * AUDIO_FPS);
    }

    /**
     * The Whisper steps (of the speech, unpadded) frame {@code frame}'s window reaches to, exclusive:
     * with fewer steps known, its window is not complete until more speech comes (or the speech ends,
     * when the reference pads it with zero steps).
     */
    public int stepsNeeded(int frame) {
        return windowStart(frame) + WINDOW - leftPad;
    }

    /** The first whisper step (in padded coordinates) of frame {@code f}'s window. */
    int windowStart(int frame) {
        return (int) Math.floor(frame * multiplier);
    }

    /** Prompts for every frame: {@code [frameCount, 50, 384]}. */
    public AudioPrompts prompts(WhisperSteps features, long numSamples) {
        return prompts(features, numSamples, 0, frameCount(numSamples));
    }

    /** Prompts for frames {@code [from, to)}. */
    public AudioPrompts prompts(WhisperSteps features, long numSamples, int from, int to) {
        Objects.requireNonNull(features, "features");
        int frames = frameCount(numSamples);
        Objects.checkFromToIndex(from, to, frames);
        int real = Math.min(actualSteps(numSamples), features.steps());
        float[] out = new float[(to - from) * AudioPrompts.FRAME_SIZE];
        int stepSize = WhisperFeatures.STEP_SIZE;
        for (int f = from; f < to; f++) {
            int a = windowStart(f);
            int base = (f - from) * AudioPrompts.FRAME_SIZE;
            for (int k = 0; k < WINDOW; k++) {
                // padded step a+k is original step a+k-leftPad; outside [0, real) it is a zero step
                int src = a + k - leftPad;
                if (src >= 0 && src < real) {
                    features.copyStep(src, out, base + k * stepSize);
                }
            }
        }
        if (windowStart(frames - 1) + WINDOW > leftPad + real + rightPad) {
            // the reference asserts here; cannot happen below 50 fps (MAX_FPS): the right pad is 12 steps or more
            throw new IllegalStateException("audio window past the padded features");
        }
        return new AudioPrompts(to - from, out);
    }

    /** Prompts for arbitrary frame indices (e.g. around the 30 s seam). */
    public AudioPrompts promptsAt(WhisperSteps features, long numSamples, int[] frameIndices) {
        float[] out = new float[frameIndices.length * AudioPrompts.FRAME_SIZE];
        for (int i = 0; i < frameIndices.length; i++) {
            AudioPrompts one = prompts(features, numSamples, frameIndices[i], frameIndices[i] + 1);
            System.arraycopy(one.data(), 0, out, i * AudioPrompts.FRAME_SIZE, AudioPrompts.FRAME_SIZE);
        }
        return new AudioPrompts(frameIndices.length, out);
    }
}
