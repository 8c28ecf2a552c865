package ai.lipsync.local.browser;

import ai.lipsync.testing.BundledFfmpeg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a test HLS fMP4 stream (init.mp4 + 1 s segments, H.264 + AAC, the layout the service
 * publishes) with the ffmpeg executable bundled in org.bytedeco:ffmpeg's gpl build.
 */
final class GeneratedStreams {
    static final int WIDTH = 320;
    static final int HEIGHT = 240;

    private GeneratedStreams() {
    }

    /** A {@code seconds}-long colour-bar clip with a 440 Hz tone; returns the VOD playlist's path. */
    static Path writeTestStream(Path directory, int seconds) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        List<String> args = List.of("-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                // A keyframe every second so that every segment is 1 s long.
                "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "64k",
                "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod",
                "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
                "-hls_segment_filename", directory.resolve("segment_%03d.m4s").toString(),
                directory.resolve("playlist.m3u8").toString());
        Process process = new BundledFfmpeg().ffmpeg(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("ffmpeg failed (exit " + process.exitValue() + "): " + output);
        }
        return directory.resolve("playlist.m3u8");
    }
}
