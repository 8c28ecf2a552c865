package ai.lipsync.testing;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ffmpeg} and {@code ffprobe} executables of org.bytedeco:ffmpeg's gpl build, ready to
 * start as processes. They link against {@code libva.so.2}, which JavaCPP's cache holds only as
 * {@code libva.so} (inside the JVM it loads libraries by path), so a private folder of soname links
 * goes first on their library path.
 */
public final class BundledFfmpeg {
    private final String ffmpeg;
    private final String ffprobe;
    private final String libraryPath;

    public BundledFfmpeg() {
        ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        ffprobe = Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
        libraryPath = libraryPath(Path.of(ffmpeg).getParent());
    }

    /** A process builder for {@code ffmpeg args...}. */
    public ProcessBuilder ffmpeg(List<String> args) {
        return process(ffmpeg, args);
    }

    /** A process builder for {@code ffprobe args...}. */
    public ProcessBuilder ffprobe(List<String> args) {
        return process(ffprobe, args);
    }

    private ProcessBuilder process(String executable, List<String> args) {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(executable);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        String inherited = System.getenv("LD_LIBRARY_PATH");
        builder.environment().put("LD_LIBRARY_PATH",
                inherited == null || inherited.isBlank() ? libraryPath : libraryPath + ":" + inherited);
        return builder;
    }

    private static String libraryPath(Path natives) {
        try {
            Path links = Files.createTempDirectory("ffmpeg-sonames-");
            links.toFile().deleteOnExit();
            for (String lib : List.of("libva.so", "libva-drm.so")) {
                Path target = natives.resolve(lib);
                if (Files.exists(target)) {
                    Files.createSymbolicLink(links.resolve(lib + ".2"), target).toFile().deleteOnExit();
                }
            }
            return links + ":" + natives;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the ffmpeg library path", e);
        }
    }
}
