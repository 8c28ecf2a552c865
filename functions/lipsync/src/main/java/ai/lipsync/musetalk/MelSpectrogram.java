package ai.lipsync.musetalk;

import java.util.Objects;

/** Whisper's log-mel input for one 30 s segment, float32 {@code [80, 3000]}. */
public record MelSpectrogram(int bins, int frames, float[] data) {

    public MelSpectrogram {
        Objects.requireNonNull(data, "data");
        if (data.length != (long) bins * frames) {
            throw new IllegalArgumentException("mel [" + bins + "," + frames + "] needs " + ((long) bins * frames)
                    + " floats, got " + data.length);
        }
    }
}
