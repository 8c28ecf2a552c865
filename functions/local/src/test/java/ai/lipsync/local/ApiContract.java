package ai.lipsync.local;

import ai.lipsync.api.ApiDocument;
import ai.lipsync.api.ApiRouter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The API document ({@link ApiDocument}) as a contract real calls are checked against. The schemas are
 * checked by networknt's json-schema-validator with the OpenAPI 3.1 dialect (JSON Schema 2020-12, the
 * document's {@code $ref}s resolved inside it); around them, what OpenAPI adds: the path and method must
 * be an operation, the status one it documents, the content type one it lists, the required headers
 * present and matching their schemas, a body where one is documented and none where none is. For a
 * request: its path parameters, required headers, content type and JSON body. Every finding is an error.
 * (openapi-request-validator 3.x, which validates 3.1, needs Java 21; this build is Java 17.)
 */
final class ApiContract {
    private static final String BASE = "https://lipsync.local/openapi.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private ApiContract(JsonNode document) {
        this.document = document;
        String json = document.toString();
        this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(BASE, json)));
    }

    /** The document the app ships. */
    static ApiContract shipped() {
        return of(new String(ApiDocument.bytes(), StandardCharsets.UTF_8));
    }

    static ApiContract of(String yaml) {
        try {
            return of(new YAMLMapper().readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiContract of(JsonNode document) {
        return new ApiContract(document);
    }

    /** A copy of the document to change (the tests that prove the contract can fail). */
    ObjectNode documentCopy() {
        return (ObjectNode) document.deepCopy();
    }

    /** An answer as it came: the raw path it answered, status, headers, body. */
    record Answer(String path, int status, Map<String, List<String>> headers, byte[] body) {
        static Answer of(HttpResponse<byte[]> r) {
            return new Answer(r.uri().getRawPath(), r.statusCode(), r.headers().map(), r.body());
        }

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    /** The request and its answer, against the operation the document gives for the path and method. */
    List<String> exchange(String method, String path, Map<String, String> requestHeaders, byte[] requestBody,
                          Answer answer) {
        List<String> errors = new ArrayList<>();
        Optional<Operation> op = operation(method, path, errors);
        op.ifPresent(o -> {
            checkRequest(o, path, requestHeaders, requestBody == null ? new byte[0] : requestBody, errors);
            checkResponse(o.pointer + "/responses", method, answer, errors);
        });
        return errors;
    }

    /** The answer alone: for requests the document itself calls wrong (a malformed id, say) but still answers. */
    List<String> answer(String method, String path, Answer answer) {
        List<String> errors = new ArrayList<>();
        operation(method, path, errors).ifPresent(o -> checkResponse(o.pointer + "/responses", method, answer, errors));
        return errors;
    }

    /**
     * An answer no operation gives (a method a path does not serve, a path nothing serves) against the
     * shared response the document describes it with ({@code components.responses}).
     */
    List<String> generic(String componentResponse, Answer answer) {
        List<String> errors = new ArrayList<>();
        String pointer = "/components/responses/" + componentResponse;
        if (document.at(pointer).isMissingNode()) {
            errors.add("the document has no response " + componentResponse);
            return errors;
        }
        checkResponseObject(pointer, "GET", answer, errors);
        return errors;
    }

    /** "METHOD /path" for every operation of the document. */
    Set<String> documentedOperations() {
        Set<String> out = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                out.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
            }
        }));
        return out;
    }

    /** The methods the document lists for one path, upper case. */
    Set<String> documentedMethods(String path) {
        return documentedOperations().stream().filter(o -> o.endsWith(" " + path))
                .map(o -> o.substring(0, o.indexOf(' '))).collect(Collectors.toCollection(TreeSet::new));
    }

    /** What one side has and the other lacks; empty when the document and the router agree. */
    List<String> disagreements(List<ApiRouter.RouteTemplate> table) {
        Set<String> routed = table.stream().flatMap(r -> r.methods().stream().map(m -> m + " " + r.path()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = documentedOperations();
        List<String> out = new ArrayList<>();
        routed.stream().filter(o -> !documented.contains(o)).forEach(o -> out.add("routed but not documented: " + o));
        documented.stream().filter(o -> !routed.contains(o)).forEach(o -> out.add("documented but not routed: " + o));
        return out;
    }

    private record Operation(String template, String pointer, JsonNode node) {
    }

    /** The documented path that fits (literal segments before variables, as OpenAPI says), and its method. */
    private Optional<Operation> operation(String method, String rawPath, List<String> errors) {
        List<String> segments = List.of(rawPath.split("/", -1));
        Optional<String> template = iterable(document.path("paths").fieldNames()).stream()
                .filter(t -> fits(List.of(t.split("/", -1)), segments))
                .max(Comparator.comparingLong(t -> List.of(t.split("/", -1)).stream().filter(s -> !s.startsWith("{")).count()));
        if (template.isEmpty()) {
            errors.add("no documented path fits " + rawPath);
            return Optional.empty();
        }
        String m = method.toLowerCase(Locale.ROOT);
        String pointer = "/paths/" + escape(template.get()) + "/" + m;
        JsonNode op = document.at(pointer);
        if (op.isMissingNode()) {
            errors.add(method + " is not documented on " + template.get());
            return Optional.empty();
        }
        return Optional.of(new Operation(template.get(), pointer, op));
    }

    private void checkResponse(String responsesPointer, String method, Answer answer, List<String> errors) {
        String pointer = responsesPointer + "/" + answer.status();
        if (document.at(pointer).isMissingNode()) {
            errors.add("status " + answer.status() + " is not documented for this operation (" + responsesPointer + ")");
            return;
        }
        checkResponseObject(pointer, method, answer, errors);
    }

    private void checkResponseObject(String responsePointer, String method, Answer answer, List<String> errors) {
        String pointer = resolve(responsePointer);
        JsonNode response = document.at(pointer);
        response.path("headers").fieldNames().forEachRemaining(name -> {
            String headerPointer = resolve(pointer + "/headers/" + escape(name));
            JsonNode header = document.at(headerPointer);
            Optional<String> value = answer.header(name);
            if (value.isEmpty()) {
                if (header.path("required").asBoolean(false)) {
                    errors.add("required header " + name + " is missing");
                }
                return;
            }
            errors.addAll(validate(headerPointer + "/schema", TextNode.valueOf(value.get()), "header " + name));
        });
        JsonNode content = response.path("content");
        boolean hasBody = answer.body() != null && answer.body().length > 0;
        if (content.isMissingNode() || content.isEmpty()) {
            if (hasBody) {
                errors.add("a body came, but none is documented");
            }
            return;
        }
        if (!hasBody) {
            if (!method.equalsIgnoreCase("HEAD")) {
                errors.add("no body came, but one is documented");
            }
            return;
        }
        checkContent(pointer + "/content", content, answer.header("Content-Type").orElse(null), answer.body(),
                "response", errors);
    }

    private void checkRequest(Operation op, String rawPath, Map<String, String> headers, byte[] body, List<String> errors) {
        List<String> template = List.of(op.template.split("/", -1));
        List<String> segments = List.of(rawPath.split("/", -1));
        String pathItem = "/paths/" + escape(op.template);
        for (String parametersPointer : List.of(pathItem + "/parameters", op.pointer + "/parameters")) {
            JsonNode parameters = document.at(parametersPointer);
            for (int i = 0; i < parameters.size(); i++) {
                String p = resolve(parametersPointer + "/" + i);
                JsonNode parameter = document.at(p);
                String name = parameter.path("name").asText();
                String in = parameter.path("in").asText();
                Optional<String> value = Optional.empty();
                if (in.equals("path")) {
                    int at = template.indexOf("{" + name + "}");
                    value = at < 0 ? Optional.empty()
                            : Optional.of(URLDecoder.decode(segments.get(at), StandardCharsets.UTF_8));
                } else if (in.equals("header")) {
                    value = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                            .map(Map.Entry::getValue).findFirst();
                }
                if (value.isEmpty()) {
                    if (parameter.path("required").asBoolean(false)) {
                        errors.add("request: required " + in + " parameter " + name + " is missing");
                    }
                    continue;
                }
                errors.addAll(validate(p + "/schema", TextNode.valueOf(value.get()), "request " + in + " " + name));
            }
        }
        String bodyPointer = resolve(op.pointer + "/requestBody");
        JsonNode requestBody = document.at(bodyPointer);
        if (requestBody.isMissingNode()) {
            if (body.length > 0) {
                errors.add("request: a body was sent, but none is documented");
            }
            return;
        }
        if (body.length == 0) {
            if (requestBody.path("required").asBoolean(false)) {
                errors.add("request: the documented body is required");
            }
            return;
        }
        String type = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        checkContent(bodyPointer + "/content", requestBody.path("content"), type, body, "request", errors);
    }

    /** The content type must be one the content map lists (media ranges such as video/* included); JSON is validated. */
    private void checkContent(String contentPointer, JsonNode content, String contentType, byte[] body, String what,
                              List<String> errors) {
        if (contentType == null) {
            errors.add(what + ": a body without a Content-Type");
            return;
        }
        String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        Optional<String> listed = iterable(content.fieldNames()).stream().filter(k -> k.equals(type)).findFirst()
                .or(() -> iterable(content.fieldNames()).stream()
                        .filter(k -> k.endsWith("/*") && type.startsWith(k.substring(0, k.length() - 1))).findFirst());
        if (listed.isEmpty()) {
            errors.add(what + ": Content-Type " + contentType + " is not one of " + iterable(content.fieldNames()));
            return;
        }
        if (!type.equals("application/json")) {
            return;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException e) {
            errors.add(what + ": the JSON body does not parse: " + e.getMessage());
            return;
        }
        errors.addAll(validate(contentPointer + "/" + escape(listed.get()) + "/schema", parsed, what + " body"));
    }

    private List<String> validate(String schemaPointer, JsonNode instance, String what) {
        Schema schema = schemas.computeIfAbsent(schemaPointer,
                p -> registry.getSchema(SchemaLocation.of(BASE + "#" + p)));
        return schema.validate(instance).stream().map(e -> what + ": " + e).toList();
    }

    /** Follows a {@code $ref} to another part of the document (responses, headers, parameters do this). */
    private String resolve(String pointer) {
        JsonNode node = document.at(pointer);
        for (int hops = 0; node.has("$ref") && hops < 8; hops++) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#")) {
                throw new IllegalStateException("Only local references are used: " + ref);
            }
            pointer = ref.substring(1);
            node = document.at(pointer);
        }
        return pointer;
    }

    private static boolean fits(List<String> template, List<String> segments) {
        if (template.size() != segments.size()) {
            return false;
        }
        for (int i = 0; i < template.size(); i++) {
            String t = template.get(i);
            if (!(t.startsWith("{") && !segments.get(i).isEmpty()) && !t.equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
