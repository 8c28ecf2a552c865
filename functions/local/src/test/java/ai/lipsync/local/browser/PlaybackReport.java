package ai.lipsync.local.browser;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * What play.mjs saw in the browser: the player used, hls.js errors, the page's error box, the
 * state of the {@code <video>} at its {@code ended} event and at the end of the run, and the demo
 * page's buttons on load, when Stop was reached for and at the end (null on other pages).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record PlaybackReport(boolean ok, String failure, String browserVersion, String playerEngine,
                      List<HlsError> hlsErrors, List<HlsError> fatalHlsErrors, List<Fragment> loadedFragments,
                      String errorText,
                      String statusText, String sessionId, MediaState ended, MediaState last,
                      FirstPlaying firstPlaying, Controls controlsOnLoad, StopClick stop, Controls controlsAtEnd,
                      int waitingEvents, List<Seek> seeks, String screenshot,
                      String videoScreenshot, Double screenshotAtTime, int droppedDuringScreenshot,
                      List<String> pageErrors, List<String> failedRequests, List<String> httpErrors,
                      Timings timingsMs) {

    /**
     * Frames dropped while the video played, less those dropped while the page screenshot was
     * taken (headless Chromium composites the page on demand for it): playback's own drops.
     */
    Integer droppedWhilePlaying() {
        if (ended == null || ended.droppedVideoFrames() == null) {
            return null;
        }
        return ended.droppedVideoFrames() - droppedDuringScreenshot;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record HlsError(boolean fatal, String type, String details, String message) {
    }

    /**
     * A media fragment hls.js began to load, in load order ({@code sn}: its media sequence number,
     * {@code start}: its media time); reported by pages that record them, null otherwise.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Fragment(int sn, double start) {
    }

    /** HTMLMediaElement state; played and buffered are [start, end] pairs in seconds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MediaState(double currentTime, double duration, boolean paused, boolean ended, int readyState,
                      int videoWidth, int videoHeight, Integer droppedVideoFrames, Integer totalVideoFrames,
                      Integer corruptedVideoFrames, List<List<Double>> played, List<List<Double>> buffered,
                      double playbackRate) {
    }

    /** The media time and the demo page's status text when the video first played. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record FirstPlaying(double t, double at, String status) {
    }

    /** The demo page's Start and Stop buttons and its status text at one moment. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Controls(Button start, Button stop, String status) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Button(boolean disabled, boolean visible) {
        boolean usable() {
            return visible && !disabled;
        }
    }

    /** Stop reached for at media time {@code currentTime}: the page then, and whether it could be clicked. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StopClick(double currentTime, Controls before, boolean clicked) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Seek(double from, double to) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Timings(Long pageLoaded, Long screenshot, Long ended, Long total) {
    }
}
