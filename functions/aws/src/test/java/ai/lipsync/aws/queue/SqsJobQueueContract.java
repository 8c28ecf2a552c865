package ai.lipsync.aws.queue;

import ai.lipsync.aws.AwsAdapterException;
import ai.lipsync.aws.AwsClients;
import ai.lipsync.aws.AwsResources;
import ai.lipsync.aws.AwsSettings;
import ai.lipsync.aws.testing.AwsBackend;
import ai.lipsync.session.ErrorCode;
import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.InMemorySessionStore;
import ai.lipsync.session.Session;
import ai.lipsync.session.SessionService;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.session.SessionStore;
import ai.lipsync.session.Language;
import ai.lipsync.session.SessionIds;
import ai.lipsync.testing.ForwardingSessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SQS job queue and receiver against one backend; each test has a queue pair of its own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SqsJobQueueContract {
    private static final Duration NO_WAIT = Duration.ZERO;
    /** Long enough for an emulator on a loaded machine to make a sent message visible. */
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AwsBackend backend;
    private AwsClients clients;
    private AwsSettings settings;
    private AwsResources.Queues queues;
    private SqsJobQueue queue;
    private SqsJobReceiver receiver;

    protected SqsJobQueueContract(AwsBackend backend) {
        this.backend = backend;
    }

    @BeforeAll
    void connect() {
        clients = AwsClients.create(backend.freshSettings(), backend.credentials());
    }

    @AfterAll
    void disconnect() {
        clients.close();
    }

    @BeforeEach
    void freshQueues() {
        settings = backend.freshSettings().withTimings(Duration.ofHours(24), Duration.ofSeconds(20),
                Duration.ofSeconds(30), 2);
        queues = new AwsResources(clients, settings).ensureQueues();
        queue = new SqsJobQueue(clients.sqs(), queues.queueUrl(), new JobMessages());
        receiver = new SqsJobReceiver(clients.sqs(), queues.queueUrl(), settings.visibilityTimeout(),
                new JobMessages());
    }

    @Test
    void submit_thenReceive_returnsTheJobOnceWithReceiveCountOne() {
        GenerationJob job = job();
        queue.submit(job);

        List<ReceivedJob> received = receiver.receive(WAIT, 10);

        assertThat(received).singleElement().satisfies(r -> {
            assertThat(r.isPoison()).isFalse();
            assertThat(r.sessionId()).isEqualTo(job.sessionId());
            assertThat(r.body()).as("the text stays in the session record").doesNotContain(job.text());
            assertThat(r.receiveCount()).isEqualTo(1);
            assertThat(r.receiptHandle()).isNotBlank();
            assertThat(r.problem()).isNull();
        });
        // Hidden for the visibility timeout: no second worker gets it meanwhile.
        assertThat(receiver.receive(Duration.ofSeconds(1), 10)).isEmpty();
    }

    @Test
    void receive_afterVisibilityIsCut_redeliversWithAHigherCount() {
        GenerationJob job = job();
        queue.submit(job);
        ReceivedJob first = receiver.receive(WAIT, 1).get(0);

        receiver.extendVisibility(first.receiptHandle(), Duration.ZERO);
        ReceivedJob second = receiver.receive(WAIT, 1).get(0);

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(second.sessionId()).isEqualTo(job.sessionId());
        assertThat(second.receiveCount()).isEqualTo(2);
    }

    @Test
    void extendVisibility_keepsTheJobHiddenFromOtherWorkers() {
        queue.submit(job());
        ReceivedJob first = receiver.receive(WAIT, 1).get(0);
        // A receiver whose own visibility is tiny: it would see the job at once were it not extended.
        SqsJobReceiver impatient = new SqsJobReceiver(clients.sqs(), queues.queueUrl(), Duration.ofSeconds(1),
                new JobMessages());

        receiver.extendVisibility(first.receiptHandle(), Duration.ofMinutes(5));

        assertThat(impatient.receive(Duration.ofSeconds(2), 10)).isEmpty();
        assertThat(visibleAndInFlight(queues.queueUrl())).isEqualTo(1);
    }

    @Test
    void delete_acknowledgesTheJobForGood() {
        queue.submit(job());
        ReceivedJob received = receiver.receive(WAIT, 1).get(0);

        receiver.delete(received.receiptHandle());

        assertThat(visibleAndInFlight(queues.queueUrl())).isZero();
    }

    @Test
    void receive_beyondMaxReceives_movesTheJobToTheDeadLetterQueue() {
        GenerationJob job = job();
        queue.submit(job);
        for (int i = 1; i <= settings.maxReceives(); i++) {
            ReceivedJob r = receiver.receive(WAIT, 1).get(0);
            assertThat(r.receiveCount()).isEqualTo(i);
            receiver.extendVisibility(r.receiptHandle(), Duration.ZERO); // the worker failed
        }

        assertThat(receiver.receive(Duration.ofSeconds(1), 10)).isEmpty();
        SqsJobReceiver deadLetters = new SqsJobReceiver(clients.sqs(), queues.deadLetterQueueUrl(),
                Duration.ofSeconds(30), new JobMessages());
        assertThat(deadLetters.receive(WAIT, 10)).singleElement()
                .satisfies(r -> {
                    assertThat(r.sessionId()).isEqualTo(job.sessionId());
                    assertThat(r.body()).as("no user text on the dead-letter queue").doesNotContain(job.text());
                });
    }

    @Test
    void receive_ofANonJsonBody_surfacesAPoisonMessage() {
        clients.sqs().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody("this is not json"));

        ReceivedJob r = receiver.receive(WAIT, 1).get(0);

        assertThat(r.isPoison()).isTrue();
        assertThat(r.sessionId()).isNull();
        assertThat(r.body()).isEqualTo("this is not json");
        assertThat(r.problem()).contains("not JSON");
        assertThat(r.receiptHandle()).isNotBlank();
    }

    @Test
    void receive_ofAMessageWithoutAWellFormedSessionId_isPoison() {
        clients.sqs().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(
                "{\"sessionId\":\"../etc\",\"text\":\"hi\"}"));

        ReceivedJob r = receiver.receive(WAIT, 1).get(0);

        assertThat(r.isPoison()).isTrue();
        assertThat(r.sessionId()).isNull();
        assertThat(r.problem()).contains("'sessionId'");
    }

    @Test
    void submit_toAMissingQueue_failsWithTheQueueNamed() {
        String missing = queues.queueUrl() + "-missing";
        SqsJobQueue broken = new SqsJobQueue(clients.sqs(), missing, new JobMessages());

        assertThatThrownBy(() -> broken.submit(job()))
                .isInstanceOf(AwsAdapterException.class)
                .hasMessageContaining(missing);
    }

    @Test
    void receive_fromAMissingQueue_failsWithTheQueueNamed() {
        String missing = queues.queueUrl() + "-missing";
        SqsJobReceiver broken = new SqsJobReceiver(clients.sqs(), missing, Duration.ofSeconds(30), new JobMessages());

        assertThatThrownBy(() -> broken.receive(NO_WAIT, 1))
                .isInstanceOf(AwsAdapterException.class)
                .hasMessageContaining(missing);
    }

    @Test
    void sessionService_whenTheJobCannotBeSent_recordsTheSessionInError() {
        InMemorySessionStore sessions = new InMemorySessionStore();
        List<String> created = new ArrayList<>();
        SessionStore watched = new ForwardingSessionStore(sessions) {
            @Override
            public void create(Session session) {
                created.add(session.id());
                super.create(session);
            }
        };
        String missing = queues.queueUrl() + "-missing";
        SqsJobQueue broken = new SqsJobQueue(clients.sqs(), missing, new JobMessages());
        SessionService service = new SessionService(watched, broken, SessionIds.create(), avatar -> true, "default",
                500, Clock.systemUTC());

        assertThatThrownBy(() -> service.start("Hello", "en", null)).isInstanceOf(AwsAdapterException.class);

        assertThat(created).singleElement().satisfies(id -> {
            Session s = sessions.find(id).orElseThrow();
            assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
            assertThat(s.errorCode()).isEqualTo(ErrorCode.INTERNAL);
            // The status API shows this message: SQS's text (queue URLs, account ids) stays in the log.
            assertThat(s.errorMessage()).isNotBlank().doesNotContain(missing).doesNotContain("sqs")
                    .doesNotContainIgnoringCase("queue.amazonaws").doesNotContain("arn:");
        });
    }

    @Test
    void jobQueueUrl_byName_isTheCreatedQueue() {
        assertThat(AwsResources.jobQueueUrl(clients.sqs(), settings)).isEqualTo(queues.queueUrl());
    }

    private int visibleAndInFlight(String url) {
        Map<QueueAttributeName, String> a = clients.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static GenerationJob job() {
        return new GenerationJob(SessionIds.create().next(), "Привет, мир", Language.RU, "default");
    }
}
