package ai.lipsync.local.browser;

import ai.lipsync.hls.HlsPlaylist;
import ai.lipsync.local.browser.PlaybackReport.MediaState;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The checks every successful browser playback must pass. */
final class PlaybackAssertions {
    /** How far from the end the player may stop, in seconds. */
    private static final double END_TOLERANCE_S = 0.1;
    /** The most that forward seeks (hls.js gap nudges) may skip in total: no jump to the live edge. */
    private static final double MAX_SKIPPED_S = 0.25;

    private PlaybackAssertions() {
    }

    static void assertPlayedToTheEnd(PlaybackReport report) throws IOException {
        assertPlayedEverySecond(report);
        MediaState end = report.ended();
        assertThat(end.totalVideoFrames()).as("frames shown").isPositive();
        assertThat(report.droppedWhilePlaying())
                .as("frames dropped at 1x (%d more while the screenshot was taken)", report.droppedDuringScreenshot())
                .isZero();
        assertThat(end.corruptedVideoFrames()).as("corrupted frames").isZero();
        assertThat(report.screenshot()).as("mid-playback screenshot").isNotNull();
        assertShowsAPicture(Path.of(report.videoScreenshot()));
    }

    /**
     * Played by hls.js without an error, from the very first frame to the end, skipping nothing:
     * the whole answer reached the viewer. Whether it did so at full frame rate is not judged here.
     */
    static void assertPlayedEverySecond(PlaybackReport report) {
        assertThat(report.failure()).as("playback failure (report in %s)", BrowserPlayback.ARTIFACTS).isNull();
        assertThat(report.playerEngine()).as("player").startsWith("hls.js");
        assertThat(report.fatalHlsErrors()).as("fatal hls.js errors").isEmpty();
        assertThat(report.pageErrors()).as("uncaught page errors").isEmpty();
        assertThat(report.errorText()).as("the page's error box").isNull();

        MediaState end = report.ended();
        assertThat(end).as("state at the video's ended event").isNotNull();
        assertThat(end.ended()).isTrue();
        assertThat(end.duration()).as("duration").isPositive();
        assertThat(end.currentTime()).as("currentTime at the end").isCloseTo(end.duration(), within(END_TOLERANCE_S));
        assertThat(end.playbackRate()).as("playback rate").isEqualTo(1.0);

        // From the very first frame to the last: the player did not start at or jump to the live edge.
        List<List<Double>> played = end.played();
        assertThat(played).as("played ranges").isNotEmpty();
        assertThat(played.get(0).get(0)).as("first played position").isLessThan(END_TOLERANCE_S);
        double playedSeconds = played.stream().mapToDouble(range -> range.get(1) - range.get(0)).sum();
        assertThat(playedSeconds).as("seconds played of %s", end.duration())
                .isGreaterThanOrEqualTo(end.duration() - MAX_SKIPPED_S);
    }

    /**
     * The playlist has ended and the player played it to its end: the media's duration is what
     * its segments add up to, so the player stopped neither short of the last one nor after it.
     */
    static void assertPlayedAllListed(PlaybackReport report, String playlist) {
        assertThat(playlist.strip()).as("an ended playlist").endsWith("#EXT-X-ENDLIST");
        double listed = HlsPlaylist.parseSegments(playlist).stream()
                .mapToDouble(HlsPlaylist.Segment::durationSeconds).sum();
        assertThat(listed).as("seconds listed").isPositive();
        assertThat(report.ended()).as("state at the video's ended event").isNotNull();
        assertThat(report.ended().duration()).as("seconds played of the %s s listed", listed)
                .isCloseTo(listed, within(END_TOLERANCE_S));
    }

    /** The video element showed a frame, not a black or empty box. */
    static void assertShowsAPicture(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("screenshot %s", png).isNotNull();
        long sum = 0;
        long sumOfSquares = 0;
        int count = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                int luma = (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000;
                sum += luma;
                sumOfSquares += (long) luma * luma;
                count++;
            }
        }
        double mean = (double) sum / count;
        double deviation = Math.sqrt((double) sumOfSquares / count - mean * mean);
        assertThat(mean).as("mean brightness of %s", png).isGreaterThan(20);
        assertThat(deviation).as("brightness spread of %s (a flat frame has none)", png).isGreaterThan(10);
    }
}
