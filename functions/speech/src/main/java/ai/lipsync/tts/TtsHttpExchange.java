package ai.lipsync.tts;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request to an HTTP speech service, with the failure mapping every provider shares. The
 * deadline covers the whole exchange: {@link HttpRequest#timeout} alone stops at the headers, so a
 * service that stalls mid-body would hang a worker.
 */
final class TtsHttpExchange {
    private final HttpClient client;
    private final String service;
    private final Duration timeout;

    TtsHttpExchange(HttpClient client, String service, Duration timeout) {
        this.client = client;
        this.service = service;
        this.timeout = timeout;
    }

    SynthesizedSpeech send(HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> call =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw timedOut(e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new GenerationException(ErrorCode.TTS_FAILED,
                    "The call to the speech service (" + service + ") was interrupted.", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw timedOut(cause);
            }
            if (cause instanceof ConnectException) {
                throw new GenerationException(ErrorCode.TTS_FAILED, "Could not connect to the speech service ("
                        + service + ") at " + request.uri().getHost() + ":" + port(request) + ".", cause);
            }
            if (cause instanceof IOException) {
                throw new GenerationException(ErrorCode.TTS_FAILED, "The connection to the speech service ("
                        + service + ") failed: " + cause.getClass().getSimpleName() + ".", cause);
            }
            throw new GenerationException(ErrorCode.TTS_FAILED,
                    "The call to the speech service (" + service + ") failed.", cause);
        }
        return check(response);
    }

    private SynthesizedSpeech check(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        // The body of an error answer is never copied into the message: some services echo the key.
        if (status < 200 || status > 299) {
            throw new GenerationException(ErrorCode.TTS_FAILED, "The speech service (" + service
                    + ") refused the request with HTTP " + status + hint(status) + ".");
        }
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            throw new GenerationException(ErrorCode.TTS_EMPTY,
                    "The speech service (" + service + ") answered with no audio (an empty body).");
        }
        String declared = response.headers().firstValue("Content-Type").orElse(null);
        return AudioSniffer.audioType(declared, body)
                .map(type -> new SynthesizedSpeech(body, type))
                .orElseThrow(() -> new GenerationException(ErrorCode.TTS_FAILED, "The speech service (" + service
                        + ") answered with " + (declared == null ? "an unrecognised body" : declared)
                        + " instead of audio."));
    }

    private GenerationException timedOut(Throwable cause) {
        return new GenerationException(ErrorCode.TTS_TIMEOUT, "The speech service (" + service
                + ") did not answer within " + seconds(timeout) + ".", cause);
    }

    private static String hint(int status) {
        return switch (status) {
            case 401, 403 -> " (check the TTS key and its permissions)";
            case 429 -> " (rate limited; try again later)";
            default -> status >= 500 ? " (a fault on the service's side)" : "";
        };
    }

    private static int port(HttpRequest request) {
        int port = request.uri().getPort();
        return port > 0 ? port : "https".equalsIgnoreCase(request.uri().getScheme()) ? 443 : 80;
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
