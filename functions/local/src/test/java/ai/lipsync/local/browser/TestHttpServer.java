package ai.lipsync.local.browser;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on the loopback address and a port of its own, so that a page it serves is
 * on another origin than the stream it plays: the browser then really applies CORS.
 */
final class TestHttpServer implements AutoCloseable {
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "m3u8", "application/vnd.apple.mpegurl",
            "mp4", "video/mp4",
            "m4s", "video/iso.segment");

    /** What a request carried that matters here: where it came from. */
    record Request(String method, String path, String origin) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final boolean cors;

    private TestHttpServer(boolean cors) throws IOException {
        this.cors = cors;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
    }

    /** Starts a server; with {@code cors} every response allows any origin, as the service's do. */
    static TestHttpServer start(boolean cors) throws IOException {
        TestHttpServer testServer = new TestHttpServer(cors);
        testServer.server.start();
        return testServer;
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Serves the files under {@code root} at {@code prefix}; a missing file is a 404. */
    TestHttpServer serveDirectory(String prefix, Path root) {
        return serve(prefix, relative -> {
            Path file = root.resolve(relative).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                return null;
            }
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                return null;
            }
        });
    }

    /** Serves what {@code content} returns for the path after {@code prefix}; null is a 404. */
    TestHttpServer serve(String prefix, Function<String, byte[]> content) {
        server.createContext(prefix, exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                requests.add(new Request(exchange.getRequestMethod(), path,
                        exchange.getRequestHeaders().getFirst("Origin")));
                Headers headers = exchange.getResponseHeaders();
                if (cors) {
                    headers.add("Access-Control-Allow-Origin", "*");
                    headers.add("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
                    headers.add("Access-Control-Allow-Headers", "*");
                }
                if ("OPTIONS".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(204, -1);
                    return;
                }
                String relative = path.substring(prefix.length()).replaceFirst("^/", "");
                byte[] body = content.apply(relative.isEmpty() ? "index.html" : relative);
                if (body == null) {
                    byte[] notFound = ("not found: " + path).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(404, notFound.length);
                    exchange.getResponseBody().write(notFound);
                    return;
                }
                headers.add("Content-Type", contentType(relative));
                headers.add("Cache-Control", "no-cache");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        return this;
    }

    private static String contentType(String path) {
        String extension = path.substring(path.lastIndexOf('.') + 1);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
