package ai.lipsync.local.browser;

import org.bytedeco.javacpp.Loader;

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
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        Files.createDirectories(directory);
        List<String> command = List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
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
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", libraryPath(Path.of(ffmpeg).getParent()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("ffmpeg failed (exit " + process.exitValue() + "): " + output);
        }
        return directory.resolve("playlist.m3u8");
    }

    /**
     * JavaCPP's cache holds libva.so and libva-drm.so but not the libva.so.2 / libva-drm.so.2
     * sonames the ffmpeg executable asks the dynamic loader for (in the JVM JavaCPP loads them by
     * path), so a folder of soname links goes first on the executable's library path.
     */
    private static String libraryPath(Path nativeDir) throws IOException {
        Path sonames = Path.of("target", "ffmpeg-sonames").toAbsolutePath();
        Files.createDirectories(sonames);
        for (String library : List.of("libva.so", "libva-drm.so")) {
            Path target = nativeDir.resolve(library);
            Path link = sonames.resolve(library + ".2");
            if (Files.exists(target) && !Files.exists(nativeDir.resolve(library + ".2"))) {
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, target);
            }
        }
        return sonames + ":" + nativeDir;
    }
}
