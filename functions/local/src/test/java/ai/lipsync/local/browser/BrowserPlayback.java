package ai.lipsync.local.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Runs {@code src/test/browser/play.mjs}: Debian's headless Chromium driven by playwright-core.
 * A missing browser or Node.js fails the test with what to install; it never skips, because CI
 * installs both and a skipped playback test would hide a broken stream.
 */
final class BrowserPlayback {
    private static final Logger LOG = LoggerFactory.getLogger(BrowserPlayback.class);

    /** Surefire runs tests in the module directory (functions/local). */
    private static final Path BROWSER_DIR = Path.of("src", "test", "browser").toAbsolutePath();
    static final Path ARTIFACTS = Path.of("target", "browser-artifacts").toAbsolutePath();
    private static final String DEFAULT_CHROMIUM = "/usr/bin/chromium";
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(5);
    /** Time for Node and Chromium to start and shut down, on top of the script's own limit. */
    private static final Duration PROCESS_GRACE = Duration.ofSeconds(60);
    private static final int PLAYBACK_ATTEMPTS = 3;

    private final ObjectMapper json = new ObjectMapper();
    private final String chromium;

    private BrowserPlayback(String chromium) {
        this.chromium = chromium;
    }

    /** Checks Chromium, Node.js and playwright-core, running {@code npm ci} when node_modules is missing. */
    static BrowserPlayback requireTools() {
        String chromium = System.getenv().getOrDefault("CHROMIUM_PATH", DEFAULT_CHROMIUM);
        if (!Files.isExecutable(Path.of(chromium))) {
            fail("Chromium not found at " + chromium + ": the browser playback tests need Debian's Chromium. "
                    + "Install it with `apt-get update && apt-get install -y chromium` (.ci/run does), "
                    + "or point CHROMIUM_PATH at a Chromium executable.");
        }
        ToolResult node = runTool(List.of("node", "--version"), BROWSER_DIR);
        if (node.exitCode() != 0) {
            fail("Node.js not found (`node --version` failed: " + node.output().strip() + "): the browser playback "
                    + "tests drive Chromium with playwright-core. Install Node.js 20 or newer with npm "
                    + "(Debian: `apt-get install -y nodejs npm`; .ci/run checks it).");
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules").resolve("playwright-core"))) {
            LOG.info("playwright-core is not installed in {}: running npm ci", BROWSER_DIR);
            ToolResult npm = runTool(List.of("npm", "ci", "--no-audit", "--no-fund"), BROWSER_DIR);
            if (npm.exitCode() != 0) {
                fail("`npm ci` failed in " + BROWSER_DIR + " (exit " + npm.exitCode() + "); run it by hand "
                        + "(.ci/run does). Output:\n" + npm.output());
            }
        }
        return new BrowserPlayback(chromium);
    }

    /**
     * Plays again when, and only when, a playback that otherwise passed dropped frames, at most
     * {@link #PLAYBACK_ATTEMPTS} times in all: on a 2-core machine other processes can starve
     * Chromium's software compositor for a moment, while a stream that cannot be shown in real
     * time drops frames on every run. The assertions apply to the last report; every attempt's
     * report stays under target/browser-artifacts.
     */
    PlaybackReport playAtFullFrameRate(PlaybackRequest request) throws IOException, InterruptedException {
        return playAtFullFrameRate(request, () -> { });
    }

    /** As {@link #playAtFullFrameRate(PlaybackRequest)}, with {@code beforeReplay} run before each replay. */
    PlaybackReport playAtFullFrameRate(PlaybackRequest request, Runnable beforeReplay)
            throws IOException, InterruptedException {
        PlaybackReport report = play(request);
        for (int attempt = 2; attempt <= PLAYBACK_ATTEMPTS && droppedFrames(report); attempt++) {
            LOG.warn("{}: {} of {} frames dropped at 1x (load average {}); playing again, attempt {} of {}",
                    request.name(), report.droppedWhilePlaying(), report.ended().totalVideoFrames(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), attempt, PLAYBACK_ATTEMPTS);
            beforeReplay.run();
            report = play(request.renamed(request.name() + "-attempt" + attempt));
        }
        return report;
    }

    private static boolean droppedFrames(PlaybackReport report) {
        return report.failure() == null && report.droppedWhilePlaying() != null && report.droppedWhilePlaying() > 0;
    }

    /** Runs one playback and returns the script's report; the report is also saved beside the screenshot. */
    PlaybackReport play(PlaybackRequest request) throws IOException, InterruptedException {
        Files.createDirectories(ARTIFACTS);
        Path screenshot = ARTIFACTS.resolve(request.name() + "-mid-playback.png");
        Path videoScreenshot = ARTIFACTS.resolve(request.name() + "-mid-playback-frame.png");
        Files.deleteIfExists(screenshot);
        Files.deleteIfExists(videoScreenshot);
        Path browserLog = ARTIFACTS.resolve(request.name() + "-browser.log");

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("url", request.url());
        config.put("mode", request.mode());
        config.put("text", request.text());
        config.put("lang", request.lang());
        config.put("avatar", request.avatar());
        config.put("expectError", request.expectError());
        config.put("midSeconds", request.midSeconds());
        config.put("stopAtSeconds", request.stopAtSeconds());
        config.put("timeoutMs", request.timeout().toMillis());
        config.put("screenshot", screenshot.toString());
        config.put("videoScreenshot", videoScreenshot.toString());
        config.put("chromium", chromium);

        LOG.info("Playing {} in Chromium ({})", request.url(), request.name());
        Process process = new ProcessBuilder("node", "play.mjs", json.writeValueAsString(config))
                .directory(BROWSER_DIR.toFile())
                .redirectError(browserLog.toFile())
                .start();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        long limitMs = request.timeout().plus(PROCESS_GRACE).toMillis();
        if (!process.waitFor(limitMs, TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            fail("play.mjs did not finish within " + limitMs + " ms; browser log: " + browserLog);
        }
        String report = lastLine(awaitOutput(stdout));
        Files.writeString(ARTIFACTS.resolve(request.name() + "-report.json"), report);
        if (process.exitValue() != 0 || report.isEmpty()) {
            fail("play.mjs exited with " + process.exitValue() + " and no report; browser log: " + browserLog);
        }
        PlaybackReport parsed = json.readValue(report, PlaybackReport.class);
        logSummary(request, parsed);
        return parsed;
    }

    private static void logSummary(PlaybackRequest request, PlaybackReport report) {
        PlaybackReport.MediaState end = report.ended();
        LOG.info("{}: {} in Chromium {} with {}; duration {} s, dropped {}/{} frames (+{} during the screenshot), "
                        + "first played while '{}', {} waiting events, {} ms in all",
                request.name(), report.failure() == null ? "ok" : "failed (" + report.failure() + ")",
                report.browserVersion(), report.playerEngine(), end == null ? null : end.duration(),
                report.droppedWhilePlaying(), end == null ? null : end.totalVideoFrames(),
                report.droppedDuringScreenshot(),
                report.firstPlaying() == null ? null : report.firstPlaying().status(), report.waitingEvents(),
                report.timingsMs() == null ? null : report.timingsMs().total());
    }

    private static String awaitOutput(CompletableFuture<String> output) throws InterruptedException {
        try {
            return output.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read play.mjs output", e.getCause());
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record ToolResult(int exitCode, String output) {
    }

    private static ToolResult runTool(List<String> command, Path directory) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            if (!process.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new ToolResult(-1, String.join(" ", command) + " timed out after " + TOOL_TIMEOUT);
            }
            return new ToolResult(process.exitValue(), awaitOutput(output));
        } catch (IOException e) {
            // The executable is not on PATH.
            return new ToolResult(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ToolResult(-1, "interrupted");
        }
    }
}
