package ai.lipsync.local;

import ai.lipsync.api.ApiRequest;
import ai.lipsync.api.ApiResponse;
import ai.lipsync.api.ApiRouter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The thin HTTP adapter: servlet request in, {@link ApiRouter} (the {@code lipsyncApi} function),
 * servlet response out. A plain servlet rather than a Spring MVC controller because the router
 * already owns CORS, preflight and method handling (it must, to behave the same on Lambda), and
 * MVC would answer preflights itself before a controller ever saw them.
 */
public final class ApiServlet extends HttpServlet {
    private final transient ApiRouter router;
    private final int maxBodyBytes;

    /** @param maxBodyBytes bodies are read up to one byte past this; the function refuses them with 413 */
    public ApiServlet(ApiRouter router, int maxBodyBytes) {
        this.router = router;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, String.join(", ", Collections.list(req.getHeaders(name))));
        }
        // The raw, still-encoded path: the router decodes segment by segment, so %2F stays inside one.
        String path = req.getRequestURI().substring(req.getContextPath().length());
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = in.readNBytes(maxBodyBytes + 1);
        }
        ApiResponse answer = router.apply(new ApiRequest(req.getMethod(), path, Map.of(), headers, body));

        resp.setStatus(answer.status());
        answer.headers().forEach(resp::setHeader);
        if (answer.header("Content-Length").isEmpty()) {
            resp.setContentLengthLong(answer.body().length);
        }
        if (answer.body().length > 0 && !"HEAD".equals(req.getMethod())) {
            resp.getOutputStream().write(answer.body());
        }
    }
}
