package ai.lipsync.tts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server on a free local port that answers like a speech service does on a good or a
 * bad day, and remembers the last request so tests can check what was sent.
 */
final class FakeSpeechServer implements AutoCloseable {
    enum Mode { AUDIO, STALL, STALL_BODY, EMPTY, ERROR_500, UNAUTHORIZED, HTML, JSON_ERROR_200 }

    record Received(String method, String path, String contentType, String authorization, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<Received> last = new AtomicReference<>();
    private final byte[] audio = sineWav(16000, 0.5);
    private volatile Mode mode = Mode.AUDIO;

    FakeSpeechServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    void mode(Mode m) {
        mode = m;
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    Received last() {
        return last.get();
    }

    byte[] audio() {
        return audio.clone();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        last.set(new Received(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestHeaders().getFirst("Authorization"), body));
        try (ex) {
            switch (mode) {
                case AUDIO -> send(ex, 200, "audio/wav", audio);
                case STALL -> await();
                case STALL_BODY -> {
                    ex.getResponseHeaders().set("Content-Type", "audio/mpeg");
                    ex.sendResponseHeaders(200, audio.length);
                    OutputStream out = ex.getResponseBody();
                    out.write(audio, 0, 100);
                    out.flush();
                    await();
                }
                case EMPTY -> {
                    ex.getResponseHeaders().set("Content-Type", "audio/mpeg");
                    ex.sendResponseHeaders(200, -1);
                }
                case ERROR_500 -> send(ex, 500, "application/json",
                        "{\"error\":\"internal\",\"key\":\"sk-secret-echo\"}".getBytes(StandardCharsets.UTF_8));
                case UNAUTHORIZED -> send(ex, 401, "application/json",
                        "{\"error\":\"Incorrect API key sk-secret-echo\"}".getBytes(StandardCharsets.UTF_8));
                case HTML -> send(ex, 200, "text/html; charset=utf-8",
                        "<html><body>Please log in</body></html>".getBytes(StandardCharsets.UTF_8));
                case JSON_ERROR_200 -> send(ex, 200, "application/json",
                        "{\"error_code\":\"BAD_REQUEST\"}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private void await() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    /** A real 16-bit mono WAV of a 440 Hz tone. */
    static byte[] sineWav(int rate, double seconds) {
        int n = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * n).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.round(12000 * Math.sin(2 * Math.PI * 440 * i / rate)));
        }
        return b.array();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
