package ai.lipsync.hls;

import ai.lipsync.settings.LipsyncSettings;

/**
 * The one quality target of every stream, whichever H.264 encoder writes it: libx264 gets it as
 * {@code crf}, h264_nvenc as {@code rc=vbr} + {@code cq}, and both the same VBV cap, so a session
 * looks alike on a CPU and on a GPU host and a busy scene cannot blow a segment up.
 *
 * @param constantQuality constant-quality level on the x264 CRF scale, 1..51 (lower = better and
 *     bigger; 18-28 is sensible). NVENC's 0 would mean "automatic", hence no 0
 * @param maxBitrate the peak bits per second either encoder may spend (VBV {@code maxrate}); the VBV
 *     buffer holds one second of it, so a 1 s segment stays within about twice this
 */
public record VideoQuality(int constantQuality, int maxBitrate) {
    /** Bits per second; a lower cap makes even a still face blocky. */
    private static final int MIN_MAX_BITRATE = 100_000;

    public VideoQuality {
        if (constantQuality < 1 || constantQuality > 51) {
            throw new IllegalArgumentException("the video quality (a CRF-scale level) must be 1..51, was "
                    + constantQuality);
        }
        if (maxBitrate < MIN_MAX_BITRATE) {
            throw new IllegalArgumentException("the video max bitrate must be at least " + MIN_MAX_BITRATE
                    + " bits/s, was " + maxBitrate);
        }
    }

    /** {@code lipsync.video.quality} and {@code .max-bitrate}. */
    public static VideoQuality from(LipsyncSettings.Video video) {
        return new VideoQuality(video.quality(), video.maxBitrate());
    }

    public static VideoQuality defaults() {
        return from(LipsyncSettings.defaults().video());
    }

    /** The VBV buffer in bits: one second of the cap. */
    public int bufferSize() {
        return maxBitrate;
    }

}
