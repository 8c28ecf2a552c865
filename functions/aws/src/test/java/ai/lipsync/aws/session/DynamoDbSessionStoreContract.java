package ai.lipsync.aws.session;

import ai.lipsync.aws.AwsAdapterException;
import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.testing.AwsBackend;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionExistsException;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DynamoDB session store against one backend; one table per class, one session id per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DynamoDbSessionStoreContract {
    private static final Duration TTL = Duration.ofHours(24);
    private static final Duration LEASE = Duration.ofSeconds(60);

    private final AwsBackend backend;
    private final SessionIds ids = SessionIds.create();
    private AwsSettings settings;
    private AwsClients clients;
    private DynamoDbSessionStore store;

    protected DynamoDbSessionStoreContract(AwsBackend backend) {
        this.backend = backend;
    }

    @BeforeAll
    void createTable() {
        settings = backend.freshSettings();
        clients = AwsClients.create(settings, backend.credentials());
        new AwsResources(clients, settings).ensureTable();
        store = new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), TTL, Clock.systemUTC());
    }

    @AfterAll
    void disconnect() {
        clients.close();
    }

    @Test
    void create_thenFind_roundTripsEveryField() {
        Instant t = Instant.now();
        Session full = new Session(ids.next(), "Сәлем, әлем 👋", Language.KK, "anna", SessionStatus.ERROR, 42, true,
                ErrorCode.INFERENCE_OOM, "GPU out of memory at frame 17", "musetalk-1.5", t.minusSeconds(30), t,
                "worker-7", t.plusSeconds(60).plusNanos(123_456_789));
        Session fresh = Session.created(ids.next(), "Hello", Language.EN, "default", t);

        store.create(full);
        store.create(fresh);

        assertThat(store.find(full.id())).contains(full);
        assertThat(store.find(fresh.id())).contains(fresh);
    }

    @Test
    void create_ofAnExistingId_failsAndKeepsTheFirst() {
        Session first = Session.created(ids.next(), "first", Language.EN, "default", Instant.now());
        store.create(first);
        Session second = Session.created(first.id(), "second", Language.RU, "other", Instant.now());

        assertThatThrownBy(() -> store.create(second))
                .isInstanceOfSatisfying(SessionExistsException.class, e -> assertThat(e.sessionId()).isEqualTo(first.id()))
                .hasMessageContaining(first.id());
        assertThat(store.find(first.id())).contains(first);
    }

    @Test
    void find_ofAnUnknownId_isEmpty() {
        assertThat(store.find(ids.next())).isEmpty();
    }

    @Test
    void update_ofAnUnknownId_throwsNoSuchElement() {
        String id = ids.next();
        assertThatThrownBy(() -> store.update(id, s -> s.withProgress(10, Instant.now())))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining(id);
    }

    @Test
    void update_storesTheChangeAndBumpsTheVersion() {
        Session s = created();
        Instant now = Instant.now();

        Session ready = store.update(s.id(), x -> x.processing("weights-free", now).ready(now));

        assertThat(ready.status()).isEqualTo(SessionStatus.READY);
        assertThat(store.find(s.id())).contains(ready);
        assertThat(rawItem(s.id()).get("version").n()).isEqualTo("2");
    }

    @Test
    void update_thatChangesNothing_writesNothing() {
        Session s = created();

        Session same = store.update(s.id(), x -> x);

        assertThat(same).isEqualTo(s);
        assertThat(rawItem(s.id()).get("version").n()).isEqualTo("1");
    }

    @Test
    void claim_byTwoRacingWorkers_exactlyOneWins() throws Exception {
        Session s = created();
        Instant now = Instant.now();
        // Both workers read the same version before either writes: a real conflict on every run.
        CyclicBarrier bothRead = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Session>> claims = new ArrayList<>();
            for (String worker : List.of("worker-a", "worker-b")) {
                AtomicBoolean firstTry = new AtomicBoolean(true);
                claims.add(pool.submit(() -> store.update(s.id(), x -> {
                    if (firstTry.getAndSet(false)) {
                        await(bothRead);
                    }
                    return x.claimableAt(now) ? x.claimedBy("weights-free", worker, now.plus(LEASE), now) : x;
                })));
            }
            String a = claims.get(0).get(30, TimeUnit.SECONDS).workerId();
            String b = claims.get(1).get(30, TimeUnit.SECONDS).workerId();

            assertThat(a).isEqualTo(b).isIn("worker-a", "worker-b");
            Session stored = store.find(s.id()).orElseThrow();
            assertThat(stored.workerId()).isEqualTo(a);
            assertThat(stored.status()).isEqualTo(SessionStatus.PROCESSING);
            assertThat(stored.leaseExpiresAt()).isEqualTo(now.plus(LEASE));
            assertThat(rawItem(s.id()).get("version").n()).isEqualTo("2");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void claim_ofALiveLease_fails_andOfAnExpiredLease_takesOver() {
        Session s = created();
        Instant t0 = Instant.now();
        store.update(s.id(), x -> x.claimedBy("weights-free", "dead-worker", t0.plus(LEASE), t0));

        Instant during = t0.plus(LEASE).minusSeconds(1);
        Session stillHeld = store.update(s.id(), x -> claim(x, "rescuer", during));
        Instant after = t0.plus(LEASE).plusSeconds(1);
        Session takenOver = store.update(s.id(), x -> claim(x, "rescuer", after));

        assertThat(stillHeld.workerId()).isEqualTo("dead-worker");
        assertThat(takenOver.workerId()).isEqualTo("rescuer");
        assertThat(takenOver.leaseExpiresAt()).isEqualTo(after.plus(LEASE));
        assertThat(store.find(s.id()).orElseThrow().workerId()).isEqualTo("rescuer");
    }

    @Test
    void progress_underConcurrentUpdates_neverGoesBackwards() throws Exception {
        Session s = created();
        store.update(s.id(), x -> x.processing("weights-free", Instant.now()));
        List<Integer> values = new ArrayList<>();
        for (int p = 0; p <= 95; p += 5) {
            values.add(p);
        }
        Collections.shuffle(values, new java.util.Random(7));
        int writers = 3;
        AtomicBoolean done = new AtomicBoolean();
        List<Integer> observed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            Future<?> reader = pool.submit(() -> {
                while (!done.get()) {
                    observed.add(store.find(s.id()).orElseThrow().progress());
                }
            });
            List<Future<?>> updates = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int offset = w;
                updates.add(pool.submit(() -> {
                    for (int i = offset; i < values.size(); i += writers) {
                        int p = values.get(i);
                        store.update(s.id(), x -> x.withProgress(p, Instant.now()));
                    }
                }));
            }
            for (Future<?> f : updates) {
                f.get(120, TimeUnit.SECONDS);
            }
            done.set(true);
            reader.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(store.find(s.id()).orElseThrow().progress()).isEqualTo(95);
        assertThat(observed).isSorted();
    }

    @Test
    void update_losingARace_reappliesItsChangeToTheNewerRecord() {
        Session s = created();
        AtomicBoolean first = new AtomicBoolean(true);

        Session result = store.update(s.id(), x -> {
            if (first.getAndSet(false)) {
                // Another writer gets in between this read and this write.
                store.update(s.id(), y -> y.withProgress(80, Instant.now()));
            }
            return x.withProgress(50, Instant.now());
        });

        assertThat(result.progress()).isEqualTo(80);
        assertThat(store.find(s.id()).orElseThrow().progress()).isEqualTo(80);
    }

    @Test
    void update_fromAStaleCopy_cannotMoveProgressBackwards() {
        Session s = created();
        Session stale = store.update(s.id(), x -> x.withProgress(30, Instant.now()));
        store.update(s.id(), x -> x.withProgress(70, Instant.now()));

        assertThatThrownBy(() -> store.update(s.id(), x -> stale.withPlaylistReady(Instant.now())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from 70 to 30");
        assertThat(store.find(s.id()).orElseThrow().progress()).isEqualTo(70);
    }

    @Test
    void update_thatLosesEveryRace_failsClearlyAfterItsAttempts() {
        Session s = created();
        DynamoDbSessionStore impatient = new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), TTL,
                Clock.systemUTC(), 3);
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> impatient.update(s.id(), x -> {
            attempts.incrementAndGet();
            store.update(s.id(), y -> y.withProgress(y.progress() + 1, Instant.now()));
            return x.withPlaylistReady(Instant.now());
        }))
                .isInstanceOf(ConcurrentUpdateException.class)
                .hasMessageContaining(s.id())
                .hasMessageContaining("3 times");
        assertThat(attempts).hasValue(3);
        assertThat(store.find(s.id()).orElseThrow().playlistReady()).isFalse();
    }

    @Test
    void update_thatLosesRaces_pausesBetweenAttemptsOnly() {
        Session s = created();
        List<Integer> pauses = new ArrayList<>();
        DynamoDbSessionStore recorded = new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), TTL,
                Clock.systemUTC(), 3, pauses::add);

        assertThatThrownBy(() -> recorded.update(s.id(), x -> {
            store.update(s.id(), y -> y.withProgress(y.progress() + 1, Instant.now()));
            return x.withPlaylistReady(Instant.now());
        })).isInstanceOf(ConcurrentUpdateException.class);

        // No pause after the last attempt: the caller learns of the failure at once.
        assertThat(pauses).containsExactly(1, 2);
    }

    @Test
    void update_interruptedWhileWaitingToRetry_failsNamingTheSession_andKeepsTheInterrupt() {
        Session s = created();
        DynamoDbSessionStore interrupted = new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), TTL,
                Clock.systemUTC(), 3, attempt -> {
                    throw new InterruptedException("stopping");
                });
        try {
            assertThatThrownBy(() -> interrupted.update(s.id(), x -> {
                store.update(s.id(), y -> y.withProgress(y.progress() + 1, Instant.now()));
                return x.withPlaylistReady(Instant.now());
            }))
                    .isInstanceOf(ConcurrentUpdateException.class)
                    .hasMessageContaining(s.id())
                    .hasMessageContaining("interrupted")
                    .hasCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(store.find(s.id()).orElseThrow().playlistReady()).isFalse();
    }

    /**
     * The SDK sends a PutItem again when its answer was lost (a timeout, a 5xx after the write);
     * the second one then fails its condition against the item the first one stored.
     */
    @Test
    void claim_whosePutTheSdkSendsTwice_countsAsClaimedAndIsAppliedOnce() {
        Session s = created();
        DynamoDbSessionStore retried = new DynamoDbSessionStore(sendsEveryPutTwice(clients.dynamoDb()),
                settings.tableName(), TTL, Clock.systemUTC());
        Instant now = Instant.now();
        AtomicInteger applied = new AtomicInteger();
        AtomicBoolean claimed = new AtomicBoolean();

        Session result = retried.update(s.id(), x -> {
            applied.incrementAndGet();
            claimed.set(x.claimableAt(now));
            return claim(x, "worker-a", now);
        });

        assertThat(applied).as("the change is applied once").hasValue(1);
        assertThat(claimed).as("the worker knows it holds the claim").isTrue();
        assertThat(result.workerId()).isEqualTo("worker-a");
        assertThat(rawItem(s.id()).get("version").n()).isEqualTo("2");
    }

    @Test
    void create_whosePutTheSdkSendsTwice_succeeds() {
        DynamoDbSessionStore retried = new DynamoDbSessionStore(sendsEveryPutTwice(clients.dynamoDb()),
                settings.tableName(), TTL, Clock.systemUTC());
        Session s = Session.created(ids.next(), "Hello there", Language.EN, "default", Instant.now());

        retried.create(s);

        assertThat(store.find(s.id())).hasValue(s);
    }

    @Test
    void maxBackoff_growsFromTenMillisAndIsCapped() {
        assertThat(DynamoDbSessionStore.maxBackoffMillis(1)).isEqualTo(10);
        assertThat(DynamoDbSessionStore.maxBackoffMillis(2)).isEqualTo(20);
        assertThat(DynamoDbSessionStore.maxBackoffMillis(5)).isEqualTo(160);
        assertThat(DynamoDbSessionStore.maxBackoffMillis(50)).isEqualTo(160);
    }

    @Test
    void everyWrite_carriesTheTtlAttribute_andTheTableExpiresOnIt() {
        long before = Instant.now().plus(TTL).getEpochSecond();
        Session s = created();
        long afterCreate = Instant.now().plus(TTL).getEpochSecond();
        assertThat(Long.parseLong(rawItem(s.id()).get("expiresAt").n())).isBetween(before, afterCreate);

        store.update(s.id(), x -> x.withProgress(10, Instant.now()));
        long afterUpdate = Instant.now().plus(TTL).getEpochSecond();
        assertThat(Long.parseLong(rawItem(s.id()).get("expiresAt").n())).isBetween(before, afterUpdate);

        var ttl = clients.dynamoDb().describeTimeToLive(b -> b.tableName(settings.tableName()))
                .timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
        assertThat(ttl.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
    }

    @Test
    void find_ofARecordPastItsTtl_isEmptyBeforeDynamoDbDeletesIt() {
        Session s = created();
        Clock later = Clock.fixed(Instant.now().plus(TTL).plus(1, ChronoUnit.HOURS), ZoneOffset.UTC);
        DynamoDbSessionStore afterTtl = new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), TTL, later);

        assertThat(afterTtl.find(s.id())).isEmpty();
        assertThat(store.find(s.id())).isPresent();
    }

    @Test
    void everyCall_onAMissingTable_failsWithTheTableNamed() {
        DynamoDbSessionStore broken = new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName() + "-missing",
                TTL, Clock.systemUTC());
        Session s = Session.created(ids.next(), "x", Language.EN, "default", Instant.now());

        assertThatThrownBy(() -> broken.create(s)).isInstanceOf(AwsAdapterException.class)
                .hasMessageContaining(settings.tableName() + "-missing");
        assertThatThrownBy(() -> broken.find(s.id())).isInstanceOf(AwsAdapterException.class)
                .hasMessageContaining(settings.tableName() + "-missing");
    }

    private static Session claim(Session x, String worker, Instant now) {
        return x.claimableAt(now) ? x.claimedBy("weights-free", worker, now.plus(LEASE), now) : x;
    }

    /** A client that sends each PutItem twice, as the SDK's retry does when the first answer is lost. */
    private static DynamoDbClient sendsEveryPutTwice(DynamoDbClient real) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    try {
                        if (method.getName().equals("putItem")) {
                            method.invoke(real, args);
                        }
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Session created() {
        Session s = Session.created(ids.next(), "Hello there", Language.EN, "default", Instant.now());
        store.create(s);
        return s;
    }

    private Map<String, AttributeValue> rawItem(String id) {
        return clients.dynamoDb().getItem(b -> b.tableName(settings.tableName()).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the other worker never read the session", e);
        }
    }
}
