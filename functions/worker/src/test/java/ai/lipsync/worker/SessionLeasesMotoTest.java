package ai.lipsync.worker;

import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.session.DynamoDbSessionStore;
import ai.lipsync.aws.testing.MotoExtension;
import ai.lipsync.aws.testing.MotoServer;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.Language;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionIds;
import ai.lipsync.session.SessionStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claims on the DynamoDB session store when the SDK retries a put whose first try landed and
 * another writer changed the item in between: the retry fails its condition against an item that
 * is not the one it wrote, so the store re-reads and applies the claim again.
 */
@ExtendWith(MotoExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionLeasesMotoTest {
    private static final Duration TTL = Duration.ofHours(1);
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final SessionIds ids = SessionIds.create();
    private AwsSettings settings;
    private AwsClients clients;
    private DynamoDbSessionStore store;

    @BeforeAll
    void createTable(MotoServer moto) {
        settings = moto.freshSettings();
        clients = AwsClients.create(settings, moto.credentials());
        new AwsResources(clients, settings).ensureTable();
        store = new DynamoDbSessionStore(clients.dynamoDb(), settings.tableName(), TTL, Clock.systemUTC());
    }

    @AfterAll
    void disconnect() {
        clients.close();
    }

    @Test
    void claim_retriedBySdkAfterAnotherWriterWrote_isClaimedByThisWorker() {
        Session s = created();
        SessionLeases leases = leases(retriesAfterAnotherWrite(item -> "processing".equals(item.item().get("status").s()),
                s.id()), "w1");

        assertThat(leases.claim(s.id(), "weights-free", null)).isEqualTo(SessionLeases.Claim.CLAIMED);

        Session stored = store.find(s.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(SessionStatus.PROCESSING);
        assertThat(stored.workerId()).isEqualTo("w1");
        assertThat(leases.holds(stored)).isTrue();
    }

    @Test
    void takeOver_retriedBySdkAfterAnotherWriterWrote_isTakenOverByThisWorker() {
        Session s = created();
        Instant past = Instant.now().minusSeconds(60);
        store.update(s.id(), x -> x.claimedBy("weights-free", "dead", past, past.minusSeconds(10)));
        SessionLeases leases = leases(retriesAfterAnotherWrite(item -> "w1".equals(item.item().get("workerId").s()),
                s.id()), "w1");

        assertThat(leases.claim(s.id(), "weights-free", null)).isEqualTo(SessionLeases.Claim.TAKEN_OVER);
        assertThat(store.find(s.id()).orElseThrow().workerId()).isEqualTo("w1");
    }

    @Test
    void giveUp_retriedBySdkAfterAnotherWriterWrote_isReportedAsGivenUp() {
        Session s = created();
        Instant past = Instant.now().minusSeconds(60);
        store.update(s.id(), x -> x.claimedBy("weights-free", "dead", past, past.minusSeconds(10)));
        SessionLeases leases = leases(retriesAfterAnotherWrite(item -> "error".equals(item.item().get("status").s()),
                s.id()), "w1");

        assertThat(leases.claim(s.id(), "weights-free", "the workers kept dying"))
                .as("handed on to the dead-letter queue, not acknowledged as finished")
                .isEqualTo(SessionLeases.Claim.GAVE_UP);
        Session stored = store.find(s.id()).orElseThrow();
        assertThat(stored.errorCode()).isEqualTo(ErrorCode.WORKER_LOST);
        assertThat(stored.errorMessage()).isEqualTo("the workers kept dying");
    }

    @Test
    void claim_ofAnOlderLiveClaimOfTheSameWorker_isNotTakenForThisOne() {
        Session s = created();
        Instant now = Instant.now();
        store.update(s.id(), x -> x.claimedBy("weights-free", "w1", now.plus(LEASE), now));

        assertThat(leases(clients.dynamoDb(), "w1").claim(s.id(), "weights-free", null))
                .isEqualTo(SessionLeases.Claim.LEASED_ELSEWHERE);
    }

    private SessionLeases leases(DynamoDbClient client, String workerId) {
        return new SessionLeases(new DynamoDbSessionStore(client, settings.tableName(), TTL, Clock.systemUTC()),
                workerId, LEASE, WorkerHarness.DEADLINE, Clock.systemUTC());
    }

    private Session created() {
        Session s = Session.created(ids.next(), "Hello there", Language.EN, "default", Instant.now());
        store.create(s);
        return s;
    }

    /**
     * A client whose first put matching {@code claimPut} lands, is followed by another writer's
     * change to the session (a touch of its updatedAt), and is then sent again, as the SDK retries a
     * put whose answer was lost: the retry fails its condition against the other writer's item.
     */
    private DynamoDbClient retriesAfterAnotherWrite(Predicate<PutItemRequest> claimPut, String sessionId) {
        DynamoDbClient real = clients.dynamoDb();
        AtomicBoolean armed = new AtomicBoolean(true);
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("putItem") && args[0] instanceof Consumer<?>) {
                return InvocationHandler.invokeDefault(proxy, method, args); // builds the request, calls the one below
            }
            try {
                if (method.getName().equals("putItem") && args[0] instanceof PutItemRequest put
                        && claimPut.test(put) && armed.getAndSet(false)) {
                    real.putItem(put);
                    store.update(sessionId, x -> x.withProgress(x.progress(), x.updatedAt().plusSeconds(1)));
                }
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, handler);
    }
}
