package ai.lipsync.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The worker's meters for Prometheus: {@code GET /metrics} on {@code LIPSYNC_WORKER_METRICSPORT}, in
 * the text exposition format, on the JDK's own HTTP server (one thread; a scrape is cheap). Any other
 * path is 404, any other method 405.
 */
public final class WorkerMetricsServer implements AutoCloseable {
    static final String PATH = "/metrics";
    private static final Logger log = LoggerFactory.getLogger(WorkerMetricsServer.class);
    private final HttpServer server;

    private WorkerMetricsServer(HttpServer server) {
        this.server = server;
    }

    /** Listens on every interface at {@code port} (0: a free one) until closed. */
    public static WorkerMetricsServer start(PrometheusMeterRegistry registry, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            server.createContext("/", exchange -> answer(exchange, registry));
            server.start();
            log.info("metrics for Prometheus on http://0.0.0.0:{}{}", server.getAddress().getPort(), PATH);
            return new WorkerMetricsServer(server);
        } catch (IOException e) {
            throw new IllegalArgumentException("LIPSYNC_WORKER_METRICSPORT: cannot listen on port " + port + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!PATH.equals(exchange.getRequestURI().getPath())) {
                send(exchange, 404, "text/plain; charset=utf-8", "Only " + PATH + " is served here.\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "Method " + method + " is not allowed.\n");
            } else {
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
