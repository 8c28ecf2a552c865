package ai.lipsync.pipeline;

/**
 * @param fps output video frame rate (MuseTalk's default 25); avatars are prepared at this rate
 */
public record PipelineSettings(int fps) {

    public PipelineSettings {
        if (fps < 1 || fps > 60) {
            throw new IllegalArgumentException("fps must be 1..60, was " + fps);
        }
    }

    public static PipelineSettings defaults() {
        return new PipelineSettings(25);
    }
}
