package ai.lipsync.aws.queue;

import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.Language;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobMessagesTest {
    private static final String ID = "AAAAAAAAAAAAAAAAAAAAAA";
    private final JobMessages messages = new JobMessages();

    @Test
    void encode_carriesTheSessionIdOnly_neverTheUsersText() throws Exception {
        GenerationJob job = new GenerationJob(ID, "Қайырлы таң \"quoted\"\n", Language.KK, "anna.v2");

        String body = messages.encode(job);

        JsonNode node = new ObjectMapper().readTree(body);
        assertThat(node.fieldNames()).toIterable().containsExactly("sessionId");
        assertThat(body).doesNotContain("Қайырлы", job.avatar(), "\"kk\"");
        assertThat(messages.decode(body)).isEqualTo(job.sessionId());
    }

    @Test
    void decode_ofAMessageWithFieldsItDoesNotKnow_readsItsSession() {
        // Written before the message was cut down to the id: the session record has what the rest said.
        assertThat(messages.decode("{\"sessionId\":\"" + ID + "\",\"text\":\"hi\",\"lang\":\"xx\"}")).isEqualTo(ID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "[1,2]",
        "{\"text\":\"hi\",\"lang\":\"en\",\"avatar\":\"a\"}",
        "{\"sessionId\":\"short\"}",
        "{\"sessionId\":\"../x\"}",
        "{\"sessionId\":5}"
    })
    void decode_ofABodyThatIsNoJob_saysWhatIsWrong(String body) {
        assertThatThrownBy(() -> messages.decode(body)).isInstanceOf(JobMessages.MalformedJobException.class)
                .hasMessageMatching(".*('\\w+'|body).*");
    }

}
