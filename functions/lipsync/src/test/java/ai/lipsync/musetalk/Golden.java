package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden tensors: {@code MUSETALK_GOLDEN_DIR}, else {@code <project.root>/../shared/golden/musetalk15}.
 * A case whose files are absent is skipped with its name (CI has the directory, so there it runs).
 */
public final class Golden {

    private Golden() {
    }

    public static Path dir() {
        String env = System.getenv("MUSETALK_GOLDEN_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        String root = System.getProperty("project.root", Path.of("").toAbsolutePath().toString());
        return Path.of(root).resolve("../shared/golden/musetalk15").toAbsolutePath().normalize();
    }

    /**
     * {@code dir()/relative}, or the test is skipped naming the case. Where the environment says the
     * golden tensors must be there ({@code MUSETALK_GOLDEN_REQUIRED=1}, as CI sets it), an absent
     * case fails instead: in CI none may skip.
     */
    public static Path require(String caseName, String relative) {
        Path p = dir().resolve(relative);
        String message = "golden case '" + caseName + "' skipped: " + p + " is absent";
        if (required()) {
            assertThat(p).as(message + " (MUSETALK_GOLDEN_REQUIRED is set)").exists();
        }
        assumeTrue(Files.exists(p), message);
        return p;
    }

    private static boolean required() {
        String flag = System.getenv("MUSETALK_GOLDEN_REQUIRED");
        return flag != null && (flag.equals("1") || flag.equalsIgnoreCase("true"));
    }

    public static SafeTensors tensors(String caseName, String relative) {
        try {
            return SafeTensors.read(require(caseName, relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A golden PNG as an 8-bit gray image. */
    public static ai.lipsync.compose.GrayImage gray(String caseName, String relative) {
        Path p = require(caseName, relative);
        try (org.bytedeco.opencv.opencv_core.Mat m = org.bytedeco.opencv.global.opencv_imgcodecs.imread(p.toString(),
                org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE)) {
            return ai.lipsync.compose.BgrMats.toGray(m);
        }
    }

    /** A golden PNG as BGR, as OpenCV reads it. */
    public static ai.lipsync.compose.BgrImage bgr(String caseName, String relative) {
        Path p = require(caseName, relative);
        try (org.bytedeco.opencv.opencv_core.Mat m = org.bytedeco.opencv.global.opencv_imgcodecs.imread(p.toString(),
                org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR)) {
            return ai.lipsync.compose.BgrMats.toBgr(m);
        }
    }

    /** Largest |a-b|. */
    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    public static int maxAbsDiff(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        int m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return m;
    }
}
