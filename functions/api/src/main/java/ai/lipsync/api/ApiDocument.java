package ai.lipsync.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API's OpenAPI 3.1 document ({@code openapi.yaml} beside this class): a resource of this module,
 * so every deployment of {@link ApiRouter}, the local app and the Lambda jar alike, carries the same one.
 */
public final class ApiDocument {
    /** Where the local app serves it. */
    public static final String PATH = "/api/openapi.yaml";
    /** RFC 9512. */
    public static final String CONTENT_TYPE = "application/yaml";
    private static final String RESOURCE = "openapi.yaml";

    private ApiDocument() {
    }

    /** The document's bytes (UTF-8 YAML). */
    public static byte[] bytes() {
        try (InputStream in = ApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The API document " + RESOURCE + " is missing from the classpath.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the API document failed", e);
        }
    }
}
