package ai.lipsync.avatar;

import java.util.List;

/**
 * The avatar's frame cycle: {@code frames + reversed(frames)} (2N entries, the first and last
 * frames doubled at the turns); output frame {@code i} uses entry {@code i mod 2N}, so long audio
 * plays the video forward, backward, forward...
 */
public final class PingPongCycle<T> {
    private final List<T> frames;

    public PingPongCycle(List<T> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a cycle needs at least one frame");
        }
        this.frames = List.copyOf(frames);
    }

    /** 2N. */
    public int size() {
        return 2 * frames.size();
    }

    /** The source frame index for output frame {@code i >= 0}. */
    public static int sourceIndex(long i, int n) {
        if (i < 0 || n <= 0) {
            throw new IllegalArgumentException("need i >= 0 and n > 0, got i=" + i + ", n=" + n);
        }
        return Avatar.pingPongIndex(i, n);
    }

    public int sourceIndex(long i) {
        return sourceIndex(i, frames.size());
    }

    public T get(long i) {
        return frames.get(sourceIndex(i));
    }
}
