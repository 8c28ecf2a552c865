package ai.lipsync.local;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decodes a whole HLS stream with the bundled {@code ffmpeg} reading it over HTTP, as a player
 * does. (HlsStreamInspector decodes from a directory; this needs a URL.)
 */
final class HttpPlaylistDecoder {
    private final String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);

    /** @return everything {@code ffmpeg -v error} printed; empty means a clean decode */
    String decodeErrors(String playlistUrl) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-i", playlistUrl, "-f", "null", "-")
                .redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", libraryPath(Path.of(ffmpeg).getParent()));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "ffmpeg timed out";
        }
        return p.exitValue() == 0 ? out.trim() : ("exit " + p.exitValue() + ": " + out).trim();
    }

    /** The executable wants libva.so.2; the jar ships libva.so: link the soname in a private folder. */
    private static String libraryPath(Path natives) throws IOException {
        Path links = Files.createTempDirectory("ffmpeg-sonames-");
        links.toFile().deleteOnExit();
        for (String lib : List.of("libva.so", "libva-drm.so")) {
            Path target = natives.resolve(lib);
            if (Files.exists(target)) {
                Files.createSymbolicLink(links.resolve(lib + ".2"), target).toFile().deleteOnExit();
            }
        }
        return links + ":" + natives;
    }
}
