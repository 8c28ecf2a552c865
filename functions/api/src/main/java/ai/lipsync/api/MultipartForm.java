package ai.lipsync.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body (RFC 7578) split into its parts. Small on purpose: the API
 * only reads a file field and a few text fields from one request body already in memory, and the
 * Lambda side has no servlet container to parse it.
 */
final class MultipartForm {
    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern PARAM = Pattern.compile("(?i);\\s*(name|filename)=(\"([^\"]*)\"|([^;\\s]*))");

    /** One part: its field name, the file name when it is a file, and its bytes. */
    record Part(String name, String fileName, String contentType, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final Map<String, Part> parts;

    private MultipartForm(Map<String, Part> parts) {
        this.parts = parts;
    }

    Optional<Part> part(String name) {
        return Optional.ofNullable(parts.get(name));
    }

    /** @throws IllegalArgumentException with a sentence when the body is not a well-formed form */
    static MultipartForm parse(String contentType, byte[] body) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new IllegalArgumentException("The multipart/form-data Content-Type has no boundary.");
        }
        byte[] delimiter = ("--" + (m.group(2) != null ? m.group(2) : m.group(3))).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new IllegalArgumentException("The multipart body does not contain its boundary.");
        }
        Map<String, Part> parts = new LinkedHashMap<>();
        while (true) {
            int after = pos + delimiter.length;
            if (after + 2 <= body.length && body[after] == '-' && body[after + 1] == '-') {
                return new MultipartForm(parts); // the closing delimiter
            }
            int headersStart = skipLineBreak(body, after);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("A multipart part has no end of headers.");
            }
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            int dataStart = headersEnd + 4;
            byte[] next = ("\r\n" + new String(delimiter, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
            int dataEnd = indexOf(body, next, dataStart);
            if (dataEnd < 0) {
                throw new IllegalArgumentException("The multipart body ends inside a part (was it cut short?).");
            }
            Part part = part(headers, Arrays.copyOfRange(body, dataStart, dataEnd));
            if (part.name() != null) {
                if (parts.containsKey(part.name())) {
                    throw new IllegalArgumentException("The form field '" + part.name() + "' appears twice.");
                }
                parts.put(part.name(), part);
            }
            pos = dataEnd + 2;
        }
    }

    private static Part part(String headers, byte[] data) {
        String name = null;
        String fileName = null;
        String type = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (key.equals("content-disposition")) {
                Matcher p = PARAM.matcher(value);
                while (p.find()) {
                    String v = p.group(3) != null ? p.group(3) : p.group(4);
                    if (p.group(1).equalsIgnoreCase("name")) {
                        name = v;
                    } else {
                        fileName = v;
                    }
                }
            } else if (key.equals("content-type")) {
                type = value;
            }
        }
        return new Part(name, fileName, type, data);
    }

    private static int skipLineBreak(byte[] b, int i) {
        if (i + 1 < b.length && b[i] == '\r' && b[i + 1] == '\n') {
            return i + 2;
        }
        throw new IllegalArgumentException("A multipart boundary is not followed by a line break.");
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
