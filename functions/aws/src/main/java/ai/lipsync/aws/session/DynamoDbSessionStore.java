package ai.lipsync.aws.session;

import ai.lipsync.aws.AwsAdapterException;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionExistsException;
import ai.lipsync.session.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Sessions in DynamoDB, one item per session (key {@code id}).
 * <ul>
 * <li>{@link #create} is a put conditional on {@code attribute_not_exists(id)}.</li>
 * <li>{@link #update} reads the item (strongly consistent), applies the change, and writes the
 * result conditional on the {@code version} it read and on the stored progress not exceeding the
 * new one; a lost race re-reads and re-applies, a bounded number of times. A worker's claim
 * ({@code s.claimableAt(now) ? s.claimedBy(..) : s}) is such an update, so of two workers racing
 * for a session exactly one sees it claimable.</li>
 * <li>Every item carries {@code expiresAt} (epoch seconds: time of the last write + session TTL) for DynamoDB
 * TTL, which replaces the embedded default's SessionJanitor. TTL deletes lazily (up to days late),
 * so {@link #find} treats an item past its {@code expiresAt} as gone.</li>
 * <li>The SDK retries a put whose answer was lost (a socket timeout, a 5xx after the write); the
 * retry then fails its condition against the item the first try stored. Every conditional put
 * asks for the stored item on a failed condition, and one identical to the item it wrote counts as
 * written: a claim is not re-applied (and so not lost) and a create does not report its own session
 * as already existing. When another writer changed the item between the first try and the retry,
 * the stored item is not this put's, so the change is applied again to the newer item: a change
 * must recognise its own earlier write there (the worker's SessionLeases does, for claims).</li>
 * </ul>
 */
public final class DynamoDbSessionStore implements SessionStore {
    private static final Logger log = LoggerFactory.getLogger(DynamoDbSessionStore.class);
    /** Progress updates of one worker and a status poll rarely collide more than twice. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration ttl;
    private final Clock clock;
    private final int maxAttempts;
    private final RetryPause pause;

    /** How an update that lost a race waits before its next attempt (tests give their own). */
    @FunctionalInterface
    interface RetryPause {
        /** @param attempt the attempt that just lost, from 1 */
        void await(int attempt) throws InterruptedException;
    }

    public DynamoDbSessionStore(DynamoDbClient dynamo, String table, Duration ttl, Clock clock, int maxAttempts) {
        this(dynamo, table, ttl, clock, maxAttempts,
                attempt -> Thread.sleep(ThreadLocalRandom.current().nextLong(1, maxBackoffMillis(attempt) + 1)));
    }

    DynamoDbSessionStore(DynamoDbClient dynamo, String table, Duration ttl, Clock clock, int maxAttempts,
                         RetryPause pause) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    public DynamoDbSessionStore(DynamoDbClient dynamo, String table, Duration ttl, Clock clock) {
        this(dynamo, table, ttl, clock, DEFAULT_MAX_ATTEMPTS);
    }

    /** @throws SessionExistsException when a session with this id exists (as the embedded store) */
    @Override
    public void create(Session session) {
        Map<String, AttributeValue> item = SessionItems.toItem(session, 1, expiresAt(session));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", SessionItems.ID))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException e) {
            if (storedByThisWrite(e, item)) {
                log.debug("[session={}] create retried by the SDK after it was stored", session.id());
                return;
            }
            throw new SessionExistsException(session.id(), e);
        } catch (SdkException e) {
            throw failure("Creating session " + session.id(), e);
        }
    }

    @Override
    public Optional<Session> find(String id) {
        return read(id).map(SessionItems::fromItem);
    }

    @Override
    public Session update(String id, UnaryOperator<Session> change) {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Map<String, AttributeValue> item = read(id)
                    .orElseThrow(() -> new NoSuchElementException("no session " + id));
            Session current = SessionItems.fromItem(item);
            Session next = change.apply(current);
            if (next == null || !next.id().equals(id)) {
                throw new IllegalArgumentException("an update of session " + id + " must return that session, got "
                        + (next == null ? "null" : next.id()));
            }
            if (next.equals(current)) {
                return current;
            }
            if (next.progress() < current.progress()) {
                // Session.withProgress clamps; only a change built from a stale copy gets here.
                throw new IllegalStateException("session " + id + ": progress may not go back from "
                        + current.progress() + " to " + next.progress());
            }
            if (write(next, SessionItems.version(item))) {
                return next;
            }
            if (attempt < maxAttempts) {
                log.debug("[session={} attempt={}] changed concurrently, retrying", id, attempt);
                backOff(id, attempt);
            }
        }
        throw new ConcurrentUpdateException("Session " + id + " changed concurrently " + maxAttempts
                + " times in a row; the update was not applied.");
    }

    /** @return false when the item changed since it was read (the version or a higher progress is stored) */
    private boolean write(Session next, long readVersion) {
        Map<String, AttributeValue> item = SessionItems.toItem(next, readVersion + 1, expiresAt(next));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    // The progress clause holds even for a writer that bypasses the version: the
                    // stored progress is never replaced by a smaller one.
                    .conditionExpression("#v = :read AND #p <= :p")
                    .expressionAttributeNames(Map.of("#v", SessionItems.VERSION, "#p", SessionItems.PROGRESS))
                    .expressionAttributeValues(Map.of(
                            ":read", SessionItems.num(readVersion),
                            ":p", SessionItems.num(next.progress())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return storedByThisWrite(e, item);
        } catch (SdkException e) {
            throw failure("Updating session " + next.id(), e);
        }
    }

    private Optional<Map<String, AttributeValue>> read(String id) {
        Objects.requireNonNull(id, "id");
        Map<String, AttributeValue> item;
        try {
            var response = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of(SessionItems.ID, SessionItems.str(id))));
            item = response.hasItem() ? response.item() : Map.of();
        } catch (SdkException e) {
            throw failure("Reading session " + id, e);
        }
        if (item.isEmpty() || SessionItems.expiresAt(item) <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(item);
    }

    /**
     * The write time by this store's clock plus the TTL (in practice the session's updatedAt):
     * the same clock that {@link #read} compares against, so a caller's clock cannot make a fresh
     * record look expired.
     */
    private long expiresAt(Session s) {
        return clock.instant().plus(ttl).getEpochSecond();
    }

    /**
     * True when the item stored is exactly the one this put wrote: an SDK retry of a put whose
     * first try succeeded. The version is part of the item, so another writer's item never matches.
     */
    private static boolean storedByThisWrite(ConditionalCheckFailedException e, Map<String, AttributeValue> written) {
        return e.hasItem() && written.equals(e.item());
    }

    /**
     * The longest pause after a lost attempt; the default pause is uniform in 1..this (full jitter),
     * so writers that collided spread out instead of colliding again: 10, 20, 40, 80, then 160 ms,
     * about one second at worst over the default ten attempts.
     */
    static long maxBackoffMillis(int attempt) {
        return 10L << Math.min(Math.max(attempt, 1) - 1, 4);
    }

    private void backOff(String id, int attempt) {
        try {
            pause.await(attempt);
        } catch (InterruptedException e) {
            // The thread is being stopped (a worker shutting down): give up now, and keep it known.
            Thread.currentThread().interrupt();
            throw new ConcurrentUpdateException("Session " + id + " was not updated: interrupted while waiting to"
                    + " retry after attempt " + attempt + ".", e);
        }
    }

    private AwsAdapterException failure(String what, SdkException e) {
        return new AwsAdapterException(what + " in DynamoDB table " + table + " failed: " + e.getMessage(), e);
    }
}
