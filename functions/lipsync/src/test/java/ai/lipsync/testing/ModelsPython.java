package ai.lipsync.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Python of the models' stack (torch, transformers, safetensors, numpy, onnx): the checkout's
 * {@code .venv}, made from {@code models/requirements.txt} alone. The parent pom names it once
 * (property {@code models.python}) and hands it to surefire as a system property of that name; every
 * test that runs the models' Python goes through here. Never a {@code python3} from PATH: a package
 * missing from requirements.txt must fail on every machine, not only on a fresh one.
 */
public final class ModelsPython {
    public static final String PROPERTY = "models.python";
    static final String HOW_TO_MAKE_IT =
            "run .ci/run, or python3 -m venv .venv && .venv/bin/pip install -r models/requirements.txt";

    private ModelsPython() {
    }

    /** The interpreter named by the system property {@value #PROPERTY}; fails saying how to make it. */
    public static Path executable() {
        return executable(System.getProperty(PROPERTY));
    }

    static Path executable(String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("The system property " + PROPERTY + " (the models' Python, set by the"
                    + " parent pom for surefire) is not set: run the tests through Maven. To make that Python: "
                    + HOW_TO_MAKE_IT);
        }
        Path python = Path.of(configured);
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException("The models' Python " + python + " does not exist: " + HOW_TO_MAKE_IT);
        }
        return python;
    }

    /** A command line for {@link ProcessBuilder}: the interpreter, then {@code args}. */
    public static List<String> command(String... args) {
        return command(List.of(args));
    }

    public static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>(args.size() + 1);
        cmd.add(executable().toString());
        cmd.addAll(args);
        return cmd;
    }
}
