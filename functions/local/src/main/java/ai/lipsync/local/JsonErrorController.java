package ai.lipsync.local;

import ai.lipsync.api.ApiJson;
import ai.lipsync.api.ApiResponse;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Errors outside the API routes (unknown paths, wrong methods on static files, container errors)
 * in the API's own shape {@code {"error", "message"}}: a client never has to parse two formats,
 * and no stack trace ever leaves the server.
 */
@RestController
@RestControllerAdvice
public class JsonErrorController implements ErrorController {
    private final ApiJson json;

    public JsonErrorController(ApiJson json) {
        this.json = json;
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<byte[]> notFound() {
        return entity(json.error(404, "not_found", "There is nothing at this path."));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<byte[]> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        String allow = e.getSupportedHttpMethods() == null ? "GET, HEAD"
                : String.join(", ", e.getSupportedHttpMethods().stream().map(Object::toString).toList());
        return entity(json.methodNotAllowed(e.getMethod(), allow));
    }

    @RequestMapping("${spring.web.error.path:/error}")
    public ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        HttpStatus known = HttpStatus.resolve(status);
        String reason = known == null ? "Error" : known.getReasonPhrase();
        String errorCode = status == 404 ? "not_found" : status >= 500 ? "internal_error" : "bad_request";
        return entity(json.error(status, errorCode, "The request failed: " + reason + "."));
    }

    static ResponseEntity<byte[]> entity(ApiResponse r) {
        HttpHeaders headers = new HttpHeaders();
        r.headers().forEach(headers::set);
        return ResponseEntity.status(r.status()).headers(headers).body(r.body());
    }
}
