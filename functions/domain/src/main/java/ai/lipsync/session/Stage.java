package ai.lipsync.session;

/**
 * The stages of one generation and the share of the 0..100 progress each one covers.
 * Progress reported within a stage is mapped into [start, end], so it only grows.
 */
public enum Stage {
    TTS(0, 15), FEATURES(15, 25), FRAMES(25, 95), FINALISE(95, 100);

    private final int start;
    private final int end;

    Stage(int start, int end) {
        this.start = start;
        this.end = end;
    }

    /** @param fraction how far through this stage, 0..1 (clamped) */
    public int progressAt(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        return (int) Math.floor(start + f * (end - start));
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }
}
