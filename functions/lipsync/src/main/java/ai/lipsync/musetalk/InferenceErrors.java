package ai.lipsync.musetalk;

import java.util.Locale;

/**
 * Classifies libtorch/DJL and ONNX Runtime failures into {@link InferenceException.Kind}s, from their
 * messages.
 */
public final class InferenceErrors {

    private static final String[] OOM_MARKERS = {
        "out of memory", "can't allocate memory", "cannot allocate memory", "std::bad_alloc",
        "failed to allocate"
    };
    private static final String[] SHAPE_MARKERS = {
        "shape", "size mismatch", "the size of tensor", "must match the size", "non-singleton dimension",
        "expected input", "invalid for input of size", "cannot be multiplied", "channels",
        "dimension out of range", "number of dims"
    };

    private InferenceErrors() {
    }

    /** Wraps an engine failure once; an {@link InferenceException} passes through unchanged. */
    public static InferenceException wrap(String graph, String context, Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InferenceException ie) {
                return ie; // raised by a translator's own check: already has its context
            }
        }
        String all = messages(failure);
        InferenceException.Kind kind = classify(all);
        String first = keyLine(rootMessage(failure));
        return new InferenceException(kind,
                "inference failed (" + kind.name().toLowerCase(Locale.ROOT) + ") [graph=" + graph
                        + (context.isEmpty() ? "" : ", " + context) + "]: " + first,
                failure);
    }

    static InferenceException.Kind classify(String messages) {
        String m = messages.toLowerCase(Locale.ROOT);
        for (String marker : OOM_MARKERS) {
            if (m.contains(marker)) {
                return InferenceException.Kind.OOM;
            }
        }
        for (String marker : SHAPE_MARKERS) {
            if (m.contains(marker)) {
                return InferenceException.Kind.SHAPE;
            }
        }
        return InferenceException.Kind.FAILED;
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return String.valueOf(c.getMessage());
    }

    /**
     * libtorch messages carry a TorchScript traceback and C++ frames: keep the line that says what
     * went wrong (the one naming memory or shapes, else the last "Error:" line, else the first line).
     */
    static String keyLine(String message) {
        String[] lines = message.split("\n");
        for (String line : lines) {
            String l = line.toLowerCase(Locale.ROOT);
            for (String marker : OOM_MARKERS) {
                if (l.contains(marker)) {
                    return clip(line.strip());
                }
            }
        }
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].strip().matches("^[A-Za-z.]*Error: .*")) {
                return clip(lines[i].strip());
            }
        }
        return firstLine(message);
    }

    private static String clip(String l) {
        return l.length() > 400 ? l.substring(0, 400) + "..." : l;
    }

    private static String firstLine(String message) {
        for (String line : message.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("Exception raised from") && !l.startsWith("frame #")
                    && !l.startsWith("Traceback") && !l.startsWith("File ") && !l.startsWith("#")) {
                return l.length() > 400 ? l.substring(0, 400) + "..." : l;
            }
        }
        return message.length() > 400 ? message.substring(0, 400) + "..." : message;
    }
}
