package ai.lipsync.aws.session;

import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionStatus;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Session} as a DynamoDB item and back. Instants are ISO-8601 strings (lossless to the
 * nanosecond); absent fields are absent attributes; enums are their wire names. Two bookkeeping
 * attributes are added: {@code version} (optimistic locking) and {@code expiresAt} (TTL, epoch seconds).
 */
final class SessionItems {
    static final String ID = "id";
    static final String VERSION = "version";
    static final String EXPIRES_AT = "expiresAt";
    static final String PROGRESS = "progress";

    private SessionItems() {
    }

    static Map<String, AttributeValue> toItem(Session s, long version, long expiresAtEpochSeconds) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, str(s.id()));
        putStr(item, "text", s.text());
        putStr(item, "lang", s.lang() == null ? null : s.lang().code());
        putStr(item, "avatar", s.avatar());
        item.put("status", str(s.status().wireName()));
        item.put(PROGRESS, num(s.progress()));
        item.put("playlistReady", AttributeValue.fromBool(s.playlistReady()));
        putStr(item, "errorCode", s.errorCode() == null ? null : s.errorCode().wireName());
        putStr(item, "errorMessage", s.errorMessage());
        putStr(item, "engine", s.engine());
        putInstant(item, "createdAt", s.createdAt());
        putInstant(item, "updatedAt", s.updatedAt());
        putStr(item, "workerId", s.workerId());
        putInstant(item, "leaseExpiresAt", s.leaseExpiresAt());
        item.put(VERSION, num(version));
        item.put(EXPIRES_AT, num(expiresAtEpochSeconds));
        return item;
    }

    static Session fromItem(Map<String, AttributeValue> item) {
        String id = requiredStr(item, ID);
        try {
            String lang = str(item, "lang");
            String errorCode = str(item, "errorCode");
            AttributeValue ready = item.get("playlistReady");
            return new Session(
                    id,
                    str(item, "text"),
                    lang == null ? null : Language.fromCode(lang).orElseThrow(
                            () -> new IllegalArgumentException("unknown lang '" + lang + "'")),
                    str(item, "avatar"),
                    SessionStatus.valueOf(requiredStr(item, "status").toUpperCase(Locale.ROOT)),
                    (int) number(item, PROGRESS, 0),
                    ready != null && Boolean.TRUE.equals(ready.bool()),
                    errorCode == null ? null : ErrorCode.valueOf(errorCode.toUpperCase(Locale.ROOT)),
                    str(item, "errorMessage"),
                    str(item, "engine"),
                    instant(item, "createdAt"),
                    instant(item, "updatedAt"),
                    str(item, "workerId"),
                    instant(item, "leaseExpiresAt"));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IllegalStateException("session item " + id + " is not a session: " + e.getMessage(), e);
        }
    }

    static long version(Map<String, AttributeValue> item) {
        return number(item, VERSION, 0);
    }

    static long expiresAt(Map<String, AttributeValue> item) {
        return number(item, EXPIRES_AT, Long.MAX_VALUE);
    }

    static AttributeValue str(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue num(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void putStr(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, str(value));
        }
    }

    private static void putInstant(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, str(value.toString()));
        }
    }

    private static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static String requiredStr(Map<String, AttributeValue> item, String name) {
        String v = str(item, name);
        if (v == null) {
            throw new IllegalStateException("session item has no '" + name + "': " + item.keySet());
        }
        return v;
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String v = str(item, name);
        return v == null ? null : Instant.parse(v);
    }

    private static long number(Map<String, AttributeValue> item, String name, long fallback) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? fallback : Long.parseLong(v.n());
    }
}
