package ai.lipsync.local;

import ai.lipsync.api.ApiDocument;
import ai.lipsync.api.ApiRouter;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.interaction.response.ResponseValidator;
import com.atlassian.oai.validator.model.ApiOperation;
import com.atlassian.oai.validator.model.ApiPathImpl;
import com.atlassian.oai.validator.model.NormalisedPathImpl;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.Response;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The API document ({@link ApiDocument}) as a contract real answers are checked against, with the
 * openapi-request-validator library (OpenAPI 3.1, JSON Schema 2020-12): the status must be one the
 * operation documents, the body must match its schema, the required headers must be there and match
 * theirs, and the content type must be one it lists. Every finding is an error, none is ignored.
 */
final class ApiContract {
    private final OpenAPI api;
    private final OpenApiInteractionValidator validator;
    private final ResponseValidator responses;

    private ApiContract(OpenAPI api, OpenApiInteractionValidator validator, ResponseValidator responses) {
        this.api = api;
        this.validator = validator;
        this.responses = responses;
    }

    /** The document the app ships. */
    static ApiContract shipped() {
        return of(new String(ApiDocument.bytes(), StandardCharsets.UTF_8));
    }

    /** @throws AssertionError when the parser finds the document malformed (it reports, say, an unknown field) */
    static ApiContract of(String yaml) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml, null, options);
        if (parsed.getOpenAPI() == null || (parsed.getMessages() != null && !parsed.getMessages().isEmpty())) {
            throw new AssertionError("The API document does not parse cleanly: " + parsed.getMessages());
        }
        return of(parsed.getOpenAPI());
    }

    static ApiContract of(OpenAPI api) {
        LevelResolver everythingIsAnError = LevelResolver.create().withDefaultLevel(ValidationReport.Level.ERROR).build();
        MessageResolver messages = new MessageResolver(everythingIsAnError);
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createFor(api)
                .withLevelResolver(everythingIsAnError).build();
        return new ApiContract(api, validator, new ResponseValidator(new SchemaValidator(api, messages), messages, api,
                List.of()));
    }

    OpenAPI api() {
        return api;
    }

    /** An answer as the validator sees it: status, headers, body; {@code path} is the raw path it answered. */
    record Answer(String path, int status, Map<String, List<String>> headers, byte[] body) {
        static Answer of(HttpResponse<byte[]> r) {
            return new Answer(r.uri().getRawPath(), r.statusCode(), r.headers().map(), r.body());
        }
    }

    /** The request and its answer against the operation the document gives for the request's path and method. */
    ValidationReport exchange(String method, String path, Map<String, String> requestHeaders, byte[] requestBody,
                              Answer answer) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        requestHeaders.forEach(request::withHeader);
        if (requestBody != null && requestBody.length > 0) {
            request.withBody(requestBody);
        }
        return validator.validate(request.build(), response(answer));
    }

    /** The answer alone: for requests the document itself calls wrong (a malformed id, say) but still answers. */
    ValidationReport answer(String method, String path, Answer answer) {
        return validator.validateResponse(path, Request.Method.valueOf(method.toUpperCase(Locale.ROOT)), response(answer));
    }

    /**
     * An answer no operation gives (a method a path does not serve, a path nothing serves) against the
     * shared response the document describes it with ({@code components.responses}).
     */
    ValidationReport generic(String componentResponse, Answer answer) {
        io.swagger.v3.oas.models.responses.ApiResponse documented =
                Objects.requireNonNull(api.getComponents().getResponses().get(componentResponse), componentResponse);
        Operation operation = new Operation().responses(new ApiResponses()
                .addApiResponse(Integer.toString(answer.status()), documented));
        String path = answer.path();
        return responses.validateResponse(response(answer), new ApiOperation(new ApiPathImpl(path, null),
                new NormalisedPathImpl(path, null), PathItem.HttpMethod.GET, operation));
    }

    /** "METHOD /path" for every operation of the document. */
    Set<String> documentedOperations() {
        Set<String> out = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> out.add(method.name() + " " + path)));
        return out;
    }

    /** "METHOD /path" for every method of every route the router serves. */
    static Set<String> routedOperations(List<ApiRouter.RouteTemplate> table) {
        return table.stream().flatMap(r -> r.methods().stream().map(m -> m + " " + r.path()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** What one side has and the other lacks; empty when the document and the router agree. */
    List<String> disagreements(List<ApiRouter.RouteTemplate> table) {
        Set<String> routed = routedOperations(table);
        Set<String> documented = documentedOperations();
        List<String> out = new ArrayList<>();
        routed.stream().filter(o -> !documented.contains(o)).forEach(o -> out.add("routed but not documented: " + o));
        documented.stream().filter(o -> !routed.contains(o)).forEach(o -> out.add("documented but not routed: " + o));
        return out;
    }

    static String describe(ValidationReport report) {
        return SimpleValidationReportFormat.getInstance().apply(report);
    }

    private static Response response(Answer answer) {
        SimpleResponse.Builder b = SimpleResponse.Builder.status(answer.status());
        answer.headers().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                b.withHeader(name, values);
            }
        });
        if (answer.body() != null && answer.body().length > 0) {
            b.withBody(answer.body());
        }
        return b.build();
    }
}
