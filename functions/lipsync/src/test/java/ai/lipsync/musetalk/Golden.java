package ai.lipsync.musetalk;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * The golden tensors: {@code MUSETALK_GOLDEN_DIR}, else {@code <project.root>/../shared/golden/musetalk15}.
 * The one rule for an absent golden file ({@link #lookup}): its case is skipped with its name, and
 * where the environment says the golden tensors must be there ({@code MUSETALK_GOLDEN_REQUIRED=1} or
 * {@code true}, as CI sets it) it fails instead: in CI none may skip. models/tests/conftest.py applies
 * the same rule to the Python tests.
 */
public final class Golden {
    static final String REQUIRED_VARIABLE = "MUSETALK_GOLDEN_REQUIRED";

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
     * One golden file of a case, looked up under the rule.
     *
     * @param required whether an absent file must fail ({@code MUSETALK_GOLDEN_REQUIRED}) rather than skip
     */
    public record Lookup(String caseName, Path file, boolean present, boolean required) {

        public String skipMessage() {
            return "golden case '" + caseName + "' skipped: " + file + " is absent";
        }

        /** This lookup, unless the file is absent where it is required: then an AssertionError naming the case. */
        public Lookup failIfRequiredAndAbsent() {
            if (required && !present) {
                throw new AssertionError("golden case '" + caseName + "' absent: " + file + " not found ("
                        + REQUIRED_VARIABLE + " is set: golden cases must not skip)");
            }
            return this;
        }
    }

    /** {@code dir()/relative} for the case {@code caseName}, under this environment's rule. */
    public static Lookup lookup(String caseName, String relative) {
        return lookup(caseName, dir().resolve(relative), System.getenv(REQUIRED_VARIABLE));
    }

    /** The rule as a function of the file and the value of {@code MUSETALK_GOLDEN_REQUIRED} (null: unset). */
    static Lookup lookup(String caseName, Path file, String requiredValue) {
        return new Lookup(caseName, file, Files.exists(file), required(requiredValue));
    }

    /** 1 or true, any case, surrounding blanks ignored: as conftest.golden_required reads it. */
    static boolean required(String value) {
        return value != null && Set.of("1", "true").contains(value.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * {@code dir()/relative}, or the test is skipped naming the case; fails instead where the golden
     * tensors are required.
     */
    public static Path require(String caseName, String relative) {
        Lookup golden = lookup(caseName, relative).failIfRequiredAndAbsent();
        assumeTrue(golden.present(), golden.skipMessage());
        return golden.file();
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
