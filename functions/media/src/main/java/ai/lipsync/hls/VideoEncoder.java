package ai.lipsync.hls;

/** The H.264 encoders the service can use, best first. */
public enum VideoEncoder {
    /** NVIDIA hardware encoding; absent on GPUs without NVENC (H100, A100) and on CPU hosts. */
    NVENC("h264_nvenc"),
    /** Software encoding, always available in the gpl FFmpeg build. */
    X264("libx264");

    private final String codecName;

    VideoEncoder(String codecName) {
        this.codecName = codecName;
    }

    public String codecName() {
        return codecName;
    }
}
