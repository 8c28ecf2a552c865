package ai.lipsync.api.aws;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Lambda Java runtime does with the deployed jar, in a child JVM of {@link LambdaJarIT}:
 * constructs the handler class once (the cold start) and calls {@code handleRequest} with each
 * event file named on the command line. Prints the cold start time and one response per line.
 */
public final class LambdaRuntimeEmulator {
    private LambdaRuntimeEmulator() {
    }

    public static void main(String[] args) throws IOException {
        // Spring logs to stdout; the answers go to stderr, one JSON document per line, marked.
        PrintStream answers = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        long started = System.nanoTime();
        FunctionInvoker handler = new FunctionInvoker();
        answers.printf("COLD_START_MS %d%n", (System.nanoTime() - started) / 1_000_000);
        for (String file : args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(Files.newInputStream(Path.of(file)), out, new LambdaEvents.TestContext());
            answers.println("ANSWER " + out.toString(StandardCharsets.UTF_8).replace('\n', ' '));
        }
    }
}
