package ai.lipsync.aws.queue;

import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.SessionIds;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON body of a job message: {@code {"sessionId":..}} and nothing else. The user's text, language
 * and avatar stay in the session record, which the worker reads when it claims the job: a message
 * kept on the dead-letter queue for days and read by whoever investigates never holds what the user
 * wrote. Written by the API, read by the worker; fields it does not know are ignored (a later field
 * that is no user content, or a message written before this format, still names its session).
 */
public final class JobMessages {
    private final ObjectMapper json;

    public JobMessages(ObjectMapper json) {
        this.json = json;
    }

    public JobMessages() {
        this(new ObjectMapper());
    }

    /** The message of {@code job}: its session id only. */
    public String encode(GenerationJob job) {
        ObjectNode node = json.createObjectNode();
        node.put("sessionId", job.sessionId());
        return node.toString();
    }

    /**
     * @return the session the job is for
     * @throws MalformedJobException saying what is wrong, when the body is not a job this service wrote
     */
    public String decode(String body) {
        JsonNode node = parse(body);
        JsonNode id = node.get("sessionId");
        if (id == null || !id.isTextual()) {
            throw new MalformedJobException("'sessionId' is missing or not a string");
        }
        if (!SessionIds.isWellFormed(id.asText())) {
            throw new MalformedJobException("'sessionId' is not a session id");
        }
        return id.asText();
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

    /** A message body that is not a job. */
    public static final class MalformedJobException extends RuntimeException {
        public MalformedJobException(String message) {
            super(message);
        }
    }
}
