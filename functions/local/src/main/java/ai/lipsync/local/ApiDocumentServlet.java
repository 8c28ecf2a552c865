package ai.lipsync.local;

import ai.lipsync.api.ApiDocument;
import ai.lipsync.api.ApiJson;
import ai.lipsync.api.ApiResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The API document at {@value ApiDocument#PATH} and {@value #DOCS} (a redirect to the page that renders
 * it). Exact servlet mappings, so they win over the API servlet's {@code /api/*} without the router,
 * which is the same on Lambda, knowing about them.
 */
public final class ApiDocumentServlet extends HttpServlet {
    static final String DOCS = "/api/docs";
    static final String PAGE = "/docs.html";
    private static final String ALLOW = "GET, HEAD, OPTIONS";
    private final transient ApiJson json;
    private final byte[] document = ApiDocument.bytes();

    public ApiDocumentServlet(ApiJson json) {
        this.json = json;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String method = req.getMethod();
        if (method.equals("OPTIONS")) {
            resp.setStatus(204);
            resp.setHeader("Allow", ALLOW);
            resp.setHeader("Access-Control-Allow-Methods", ALLOW);
            resp.setHeader("Access-Control-Max-Age", "86400");
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            write(resp, json.methodNotAllowed(method, ALLOW), method);
            return;
        }
        if (req.getServletPath().equals(DOCS)) {
            resp.sendRedirect(req.getContextPath() + PAGE);
            return;
        }
        resp.setStatus(200);
        resp.setContentType(ApiDocument.CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-cache");
        write(resp, new ApiResponse(200, java.util.Map.of(), document), method);
    }

    private static void write(HttpServletResponse resp, ApiResponse answer, String method) throws IOException {
        resp.setStatus(answer.status());
        answer.headers().forEach(resp::setHeader);
        resp.setContentLength(answer.body().length);
        if (!method.equals("HEAD")) {
            resp.getOutputStream().write(answer.body());
        }
    }
}
