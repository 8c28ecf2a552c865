package ai.lipsync.aws.queue;

import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Language;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobMessagesTest {
    private static final String ID = "AAAAAAAAAAAAAAAAAAAAAA";
    private final JobMessages messages = new JobMessages();

    @Test
    void encode_thenDecode_returnsTheSameJob() {
        GenerationJob job = new GenerationJob(ID, "Қайырлы таң \"quoted\"\n", Language.KK, "anna.v2");

        String body = messages.encode(job);

        assertThat(body).contains("\"lang\":\"kk\"");
        assertThat(messages.decode(body)).isEqualTo(job);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "[1,2]",
        "{\"text\":\"hi\",\"lang\":\"en\",\"avatar\":\"a\"}",
        "{\"sessionId\":\"short\",\"text\":\"hi\",\"lang\":\"en\",\"avatar\":\"a\"}",
        "{\"sessionId\":\"" + ID + "\",\"text\":\" \",\"lang\":\"en\",\"avatar\":\"a\"}",
        "{\"sessionId\":\"" + ID + "\",\"text\":\"hi\",\"lang\":\"de\",\"avatar\":\"a\"}",
        "{\"sessionId\":\"" + ID + "\",\"text\":\"hi\",\"lang\":\"en\",\"avatar\":\"../x\"}",
        "{\"sessionId\":\"" + ID + "\",\"text\":5,\"lang\":\"en\",\"avatar\":\"a\"}"
    })
    void decode_ofABodyThatIsNoJob_saysWhatIsWrong(String body) {
        assertThatThrownBy(() -> messages.decode(body)).isInstanceOf(JobMessages.MalformedJobException.class)
                .hasMessageMatching(".*('\\w+'|body).*");
    }

    @Test
    void sessionIdOf_findsTheSessionOfAnOtherwiseBadBody() {
        assertThat(messages.sessionIdOf("{\"sessionId\":\"" + ID + "\"}")).contains(ID);
        assertThat(messages.sessionIdOf("{\"sessionId\":\"../x\"}")).isEmpty();
        assertThat(messages.sessionIdOf("garbage")).isEmpty();
    }
}
