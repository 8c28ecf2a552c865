package ai.lipsync.local;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.io.Writer;

/**
 * Tomcat refuses some requests before any application code runs (a path whose dot segments climb
 * above the root, an encoded backslash). Its default page is HTML; this writes the API's JSON error
 * shape with CORS instead, so no client ever has to parse a second error format.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String code = status == 404 ? "not_found" : status >= 500 ? "internal_error" : "bad_request";
        String message = status == 400
                ? "The request could not be read: its path or headers are malformed (for example '..' above the root or an encoded backslash)."
                : "The request failed with HTTP " + status + ".";
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Access-Control-Allow-Origin", "*");
            response.setHeader("Cache-Control", "no-store");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"error\":\"" + code + "\",\"message\":\"" + message.replace("\"", "\\\"") + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is committed; nothing more can be said to it.
            container.getLogger().debug("could not write the JSON error report", e);
        }
    }
}
