package ai.lipsync.aws.queue;

import ai.lipsync.session.AvatarIds;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Language;
import ai.lipsync.session.SessionIds;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * The JSON body of a job message: {@code {"sessionId":..,"text":..,"lang":"en","avatar":..}}.
 * Written by the API, read by the worker; the language travels as its ISO code, as on the HTTP API.
 */
public final class JobMessages {
    private final ObjectMapper json;

    public JobMessages(ObjectMapper json) {
        this.json = json;
    }

    public JobMessages() {
        this(new ObjectMapper());
    }

    public String encode(GenerationJob job) {
        ObjectNode node = json.createObjectNode();
        node.put("sessionId", job.sessionId());
        node.put("text", job.text());
        node.put("lang", job.lang().code());
        node.put("avatar", job.avatar());
        return node.toString();
    }

    /**
     * @throws MalformedJobException saying what is wrong, when the body is not a job this service wrote
     */
    public GenerationJob decode(String body) {
        JsonNode node = parse(body);
        String sessionId = text(node, "sessionId");
        if (!SessionIds.isWellFormed(sessionId)) {
            throw new MalformedJobException("'sessionId' is not a session id");
        }
        String text = text(node, "text");
        if (text.isBlank()) {
            throw new MalformedJobException("'text' is blank");
        }
        String lang = text(node, "lang");
        Language language = Language.fromCode(lang)
                .orElseThrow(() -> new MalformedJobException("'lang' is not one of ru, kk, en"));
        String avatar = text(node, "avatar");
        if (!AvatarIds.isWellFormed(avatar)) {
            throw new MalformedJobException("'avatar' is not an avatar id");
        }
        return new GenerationJob(sessionId, text, language, avatar);
    }

    /**
     * The session a body names, when it names one even though it is otherwise unusable: the worker
     * can then end that session in error instead of leaving it waiting.
     */
    public Optional<String> sessionIdOf(String body) {
        try {
            JsonNode id = json.readTree(body).get("sessionId");
            return id != null && id.isTextual() && SessionIds.isWellFormed(id.asText())
                    ? Optional.of(id.asText()) : Optional.empty();
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new MalformedJobException("the message body is empty");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new MalformedJobException("the message body is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedJobException("the message body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new MalformedJobException("'" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    /** A message body that is not a job. */
    public static final class MalformedJobException extends RuntimeException {
        public MalformedJobException(String message) {
            super(message);
        }
    }
}
