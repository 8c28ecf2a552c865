package ai.lipsync.session;

import ai.lipsync.testing.ForwardingSessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final InMemorySessionStore store = new InMemorySessionStore();
    private final List<GenerationJob> submitted = new ArrayList<>();
    private final SessionService service = new SessionService(store, submitted::add, SessionIds.create(),
            Set.of("default", "anna")::contains, "default", 10, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void start_withValidInput_storesCreatedSessionAndEnqueuesJob() {
        Session s = service.start("Привет!", "RU", null);

        assertThat(SessionIds.isWellFormed(s.id())).isTrue();
        assertThat(s.status()).isEqualTo(SessionStatus.CREATED);
        assertThat(s.avatar()).isEqualTo("default");
        assertThat(store.find(s.id())).contains(s);
        assertThat(submitted).containsExactly(new GenerationJob(s.id(), "Привет!", Language.RU, "default"));
    }

    /** A queue that records the cancels it is told about, as the in-process queue passes them to its worker. */
    private final List<String> cancelsTold = new ArrayList<>();
    private final SessionService cancelling = new SessionService(store, new JobQueue() {
        @Override
        public void submit(GenerationJob job) {
            submitted.add(job);
        }

        @Override
        public void cancel(String sessionId) {
            cancelsTold.add(sessionId);
        }
    }, SessionIds.create(), Set.of("default")::contains, "default", 10, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void cancel_ofAnUnfinishedSession_recordsCancelledAndTellsTheWorkers() {
        Session queued = cancelling.start("hi", "en", null);
        Session running = cancelling.start("hello", "en", null);
        store.update(running.id(), s -> s.processing("weights-free", NOW).withProgress(40, NOW));

        assertThat(cancelling.cancel(queued.id())).hasValueSatisfying(s -> assertThat(s.status())
                .isEqualTo(SessionStatus.CANCELLED));
        Session stopped = cancelling.cancel(running.id()).orElseThrow();

        assertThat(stopped.status()).isEqualTo(SessionStatus.CANCELLED);
        assertThat(stopped.progress()).isEqualTo(40);
        assertThat(stopped.engine()).isEqualTo("weights-free");
        assertThat(store.find(running.id())).contains(stopped);
        assertThat(cancelsTold).containsExactly(queued.id(), running.id());
        assertThat(SessionStatus.CANCELLED.isFinal()).isTrue();
    }

    @Test
    void cancel_ofAnEndedSession_isRefusedAndLeavesItAsItWas() {
        Session ready = cancelling.start("hi", "en", null);
        store.update(ready.id(), s -> s.processing("weights-free", NOW).ready(NOW));
        Session cancelled = cancelling.start("hey", "en", null);
        cancelling.cancel(cancelled.id());
        cancelsTold.clear();

        for (Session ended : List.of(ready, cancelled)) {
            Session before = store.find(ended.id()).orElseThrow();
            assertThatThrownBy(() -> cancelling.cancel(ended.id())).isInstanceOf(SessionEndedException.class)
                    .hasMessageContaining(before.status().wireName());
            assertThat(store.find(ended.id())).contains(before);
        }
        assertThat(cancelsTold).isEmpty();
    }

    @Test
    void cancel_ofAnUnknownOrMalformedId_isEmptyOrRefused() {
        assertThat(cancelling.cancel(SessionIds.create().next())).isEmpty();
        assertThatThrownBy(() -> cancelling.cancel("nope")).isInstanceOf(ValidationException.class);
    }

    @Test
    void start_withNamedAvatar_usesIt() {
        assertThat(service.start("hi", "en", "anna").avatar()).isEqualTo("anna");
    }

    @Test
    void start_countsCodePointsNotUtf16Units() {
        // Ten emoji are twenty UTF-16 units but ten characters to a person.
        String tenEmoji = "😀".repeat(10);
        assertThat(service.start(tenEmoji, "en", null).text()).isEqualTo(tenEmoji);
    }

    @ParameterizedTest(name = "[{index}] text={0} lang={1} avatar={2} -> {3}")
    @CsvSource(nullValues = "NULL", value = {
            "NULL, ru, NULL, text_required",
            "'   ', ru, NULL, text_required",
            "'12345678901', ru, NULL, text_too_long",
            "hi, NULL, NULL, lang_required",
            "hi, '', NULL, lang_required",
            "hi, de, NULL, unsupported_lang",
            "hi, ru, nobody, unknown_avatar",
            "hi, ru, '../etc', invalid_avatar"})
    void start_withBadInput_isRefusedAndNothingStored(String text, String lang, String avatar, String code) {
        assertThatThrownBy(() -> service.start(text, lang, avatar))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageEndingWith(".");
        assertThat(submitted).isEmpty();
    }

    /** A code with anything around or inside it is not that code, however invisible. */
    @ParameterizedTest(name = "[{index}] lang={0}")
    @CsvSource({"'ru\u0000'", "'ru '", "' ru'", "'ru\n'", "'\u0000ru'", "'r\u200Bu'", "'\u212A\u212A'", "'ru-RU'"})
    void start_withALanguageCodeThatIsNotExactlyOne_isRefused(String lang) {
        assertThatThrownBy(() -> service.start("hi", lang, null))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ValidationException.UNSUPPORTED_LANG))
                .hasMessageContaining("exactly one of ru, kk, en")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("\\p{Cc}"));
        assertThat(submitted).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] lang={0}")
    @CsvSource({"ru, RU", "kk, Kk", "en, EN"})
    void start_withACodeInAnyAsciiCase_isThatLanguage(String code, String sent) {
        assertThat(service.start("hi", sent, null).lang().code()).isEqualTo(code);
    }

    /** The position is counted in characters from 1, as a person counts them (the emoji is one). */
    @ParameterizedTest(name = "[{index}] {1} at {2}")
    @CsvSource({
            "'ab\u0000c', U+0000, 3, control character",
            "'\u001B[31m', U+001B, 1, control character",
            "'😀x\u007F', U+007F, 3, control character",
            "'ok\u0085', U+0085, 3, control character",
            "'\u009F', U+009F, 1, control character",
            "'a\uD83D', U+D83D, 2, unpaired surrogate",
            "'\uDE00a', U+DE00, 1, unpaired surrogate",
            "'😀\uDE00', U+DE00, 2, unpaired surrogate"})
    void start_withAControlCharacterOrUnpairedSurrogate_isRefusedNamingItAndWhere(String text, String codePoint,
            int position, String problem) {
        assertThatThrownBy(() -> service.start(text, "en", null))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ValidationException.INVALID_TEXT))
                .hasMessageContaining(problem + " " + codePoint + " at position " + position);
        assertThat(submitted).isEmpty();
    }

    @Test
    void start_withLineBreaksAndTabs_acceptsThem() {
        String text = "a\nb\r\n\tc.";

        assertThat(service.start(text, "en", null).text()).isEqualTo(text);
    }

    /** "й" typed as и + combining breve is one character to a reader: stored, counted and spoken composed. */
    @Test
    void start_normalisesTheTextToNfc_beforeCountingAndQueueing() {
        String decomposed = "\u0438\u0306".repeat(10);
        String composed = "\u0439".repeat(10);
        assertThat(decomposed.codePointCount(0, decomposed.length())).as("over the limit as sent").isEqualTo(20);

        Session s = service.start(decomposed, "ru", null);

        assertThat(s.text()).isEqualTo(composed);
        assertThat(submitted).containsExactly(new GenerationJob(s.id(), composed, Language.RU, "default"));
    }

    @Test
    void start_whenTheNewIdIsTaken_retriesWithAnotherId() {
        byte[] taken = bytes(1);
        byte[] free = bytes(2);
        Iterator<byte[]> draws = List.of(taken, free).iterator();
        SessionService retrying = serviceWithIds(new SessionIds(draws::next));
        String takenId = encode(taken);
        store.create(Session.created(takenId, "earlier", Language.EN, "default", NOW));

        Session s = retrying.start("hi", "en", null);

        assertThat(s.id()).isEqualTo(encode(free));
        assertThat(store.find(takenId).orElseThrow().text()).as("the earlier session is untouched").isEqualTo("earlier");
        assertThat(store.find(s.id())).contains(s);
        assertThat(submitted).containsExactly(new GenerationJob(s.id(), "hi", Language.EN, "default"));
    }

    @Test
    void start_whenEveryNewIdIsTaken_failsSayingTheIdSourceRepeatsItself() {
        byte[] taken = bytes(1);
        SessionService stuck = serviceWithIds(new SessionIds(taken::clone));
        store.create(Session.created(encode(taken), "earlier", Language.EN, "default", NOW));

        assertThatThrownBy(() -> stuck.start("hi", "en", null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No free session id in " + SessionService.CREATE_ATTEMPTS + " attempts")
                .hasCauseInstanceOf(SessionExistsException.class);
        assertThat(submitted).isEmpty();
    }

    private SessionService serviceWithIds(SessionIds ids) {
        return new SessionService(store, submitted::add, ids, Set.of("default")::contains, "default", 10,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static byte[] bytes(int fill) {
        byte[] b = new byte[16];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private static String encode(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Test
    void start_whenQueueFull_recordsRefusalAndRethrows() {
        List<String> created = new ArrayList<>();
        SessionStore recording = recordingCreates(created);
        SessionService full = new SessionService(recording, job -> {
            throw new QueueFullException(4, Duration.ofSeconds(7));
        }, SessionIds.create(), a -> true, "default", 10, Clock.systemUTC());

        assertThatThrownBy(() -> full.start("hi", "en", null)).isInstanceOf(QueueFullException.class);
        assertThat(store.find(created.get(0))).hasValueSatisfying(s -> {
            assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
            assertThat(s.errorCode()).isEqualTo(ErrorCode.QUEUE_FULL);
        });
    }

    @Test
    void start_whenTheQueueFailsOtherwise_recordsTheSessionAsFailedAndRethrows() {
        List<String> created = new ArrayList<>();
        SessionService broken = new SessionService(recordingCreates(created), job -> {
            throw new IllegalStateException("queue broker unreachable");
        }, SessionIds.create(), a -> true, "default", 10, Clock.systemUTC());

        assertThatThrownBy(() -> broken.start("hi", "en", null)).isInstanceOf(IllegalStateException.class);
        assertThat(store.find(created.get(0))).hasValueSatisfying(s -> {
            assertThat(s.status()).as("no orphan 'created' record").isEqualTo(SessionStatus.ERROR);
            assertThat(s.errorCode()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(s.errorMessage()).doesNotContain("broker");
        });
    }

    @Test
    void start_whenTheQueueAndThenTheStoreFail_throwsTheQueueFailureWithTheStoreFailureAttached() {
        IllegalStateException storeDown = new IllegalStateException("store unreachable");
        SessionStore failingUpdates = new ForwardingSessionStore(store) {
            @Override
            public Session update(String id, java.util.function.UnaryOperator<Session> change) {
                throw storeDown;
            }
        };
        SessionService broken = new SessionService(failingUpdates, job -> {
            throw new IllegalStateException("queue broker unreachable");
        }, SessionIds.create(), a -> true, "default", 10, Clock.systemUTC());

        assertThatThrownBy(() -> broken.start("hi", "en", null))
                .hasMessage("queue broker unreachable")
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(storeDown));
    }

    @ParameterizedTest
    @CsvSource({"abc", "'../../../../etc/passwd'", "AAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAA.AAAAAAAAAAA"})
    void find_withMalformedId_isRefused(String id) {
        assertThatThrownBy(() -> service.find(id))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.code()).isEqualTo(ValidationException.INVALID_SESSION_ID));
    }

    @Test
    void find_withWellFormedUnknownId_isEmpty() {
        assertThat(service.find(SessionIds.create().next())).isEmpty();
    }

    /** The test's store, noting the id of every session created through it. */
    private SessionStore recordingCreates(List<String> created) {
        return new ForwardingSessionStore(store) {
            @Override
            public void create(Session session) {
                created.add(session.id());
                super.create(session);
            }
        };
    }
}
