package ai.lipsync.local;

import ai.lipsync.api.ApiJson;
import ai.lipsync.api.ApiResponse;
import ai.lipsync.api.ApiRouter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * The demo page, its files and every path outside the API go to Spring MVC, which would answer a
 * method the server routes nowhere with a bare 405 or 404, and TRACE (once the connector lets it
 * through) by echoing the request, cookies included. This answers them all as the API router does:
 * a JSON 405 with {@code Allow}.
 */
public final class UnroutedMethodFilter extends OncePerRequestFilter {
    /** Static files are read, never written. */
    static final String ALLOW = "GET, HEAD, OPTIONS";
    private final ApiJson json;

    public UnroutedMethodFilter(ApiJson json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (ApiRouter.SERVED_METHODS.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        ApiResponse answer = json.methodNotAllowed(request.getMethod(), ALLOW);
        response.setStatus(answer.status());
        answer.headers().forEach(response::setHeader);
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }
}
