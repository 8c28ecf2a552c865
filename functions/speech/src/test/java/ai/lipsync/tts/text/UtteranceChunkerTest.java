package ai.lipsync.tts.text;

import ai.lipsync.session.Language;
import ai.lipsync.settings.TtsConfig;
import ai.lipsync.testing.SampleAnswers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UtteranceChunkerTest {

    /** Sentences of an assistant's answer per language, with the abbreviations, numbers and quotes of each. */
    @ParameterizedTest
    @EnumSource(Language.class)
    void answerOf2000Characters_isChunkedAtSentenceEnds_packedUpToTheMaximum_theFirstChunkShort(Language language) {
        List<Integer> sentenceEnds = new ArrayList<>();
        StringBuilder text = new StringBuilder(SampleAnswers.answer(language, 2000, sentenceEnds));
        var chunker = new UtteranceChunker(250, 80);

        List<UtteranceChunk> chunks = chunker.split(text.toString(), language);

        assertCoversTheText(text.toString(), chunks, 250, 80);
        assertThat(chunks.get(0).text()).as("first chunk").hasSizeLessThanOrEqualTo(80);
        for (int i = 1; i < chunks.size(); i++) {
            UtteranceChunk chunk = chunks.get(i);
            assertThat(sentenceEnds).as("chunk %d ends at a sentence end: %s", i, chunk.text()).contains(chunk.end());
            assertThat(sentenceEnds).as("chunk %d starts after a sentence end", i)
                    .contains(SentenceSplitter.trimEnd(text.toString(), 0, chunk.start()));
            if (i + 1 < chunks.size() && !text.substring(chunk.end(), chunks.get(i + 1).start()).contains("\n")) {
                int nextSentenceEnd = sentenceEnds.get(sentenceEnds.indexOf(chunk.end()) + 1);
                assertThat(nextSentenceEnd - chunk.start()).as("chunk %d could not take the next sentence", i)
                        .isGreaterThan(250);
            }
        }
        assertThat(chunks).as("a 2,000-character answer in 250-character chunks").hasSizeGreaterThan(8);
    }

    @Test
    void longSentence_isCutAtItsLastClauseBoundaryWithinTheMaximum() {
        String text = "Alpha beta gamma, delta epsilon zeta; eta theta iota kappa lambda mu nu xi omicron pi rho sigma.";
        int max = text.indexOf(" kappa");

        List<UtteranceChunk> chunks = new UtteranceChunker(max, max).split(text, Language.EN);

        assertThat(chunks.get(0).text()).isEqualTo(text.substring(0, text.indexOf(';') + 1));
        assertCoversTheText(text, chunks, max, max);
    }

    @Test
    void dashesAndEllipsesAreClauseBoundaries_hyphensAndDecimalCommasAreNot() {
        String text = "Он пришёл — и все замолчали… кто-то вздохнул, потом 3,14 раза кто-то кашлянул тихо";
        int max = text.indexOf(" потом") + 4;

        List<String> chunks = texts(new UtteranceChunker(max, max).split(text, Language.RU));

        assertThat(chunks.get(0)).isEqualTo("Он пришёл — и все замолчали… кто-то вздохнул,");
        assertThat(texts(new UtteranceChunker(20, 20).split(text, Language.RU)).get(0)).isEqualTo("Он пришёл —");
    }

    @Test
    void longSentenceWithoutClauseBoundary_isCutAtItsLastWhitespace() {
        String text = "Бір екі үш төрт бес алты жеті сегіз тоғыз он";
        int max = text.indexOf("алты") + 2;

        List<UtteranceChunk> chunks = new UtteranceChunker(max, max).split(text, Language.KK);

        assertThat(chunks.get(0).text()).isEqualTo("Бір екі үш төрт бес");
        assertCoversTheText(text, chunks, max, max);
    }

    @Test
    void wordLongerThanTheMaximum_isAChunkOfItsOwn_theOnlyOneOverIt() {
        String word = "Donaudampfschifffahrtsgesellschaftskapitän";
        String text = "The captain: " + word + ", of course.";

        List<String> chunks = texts(new UtteranceChunker(12, 12).split(text, Language.EN));

        assertThat(chunks).containsExactly("The captain:", word + ",", "of course.");
    }

    @Test
    void firstChunk_isCutAtAClauseBoundaryWithinItsOwnLimit_theRestPackedToTheMaximum() {
        String text = "Конечно, вот что я думаю об этом вопросе после долгого размышления. Второе предложение. Третье.";

        List<String> chunks = texts(new UtteranceChunker(250, 30).split(text, Language.RU));

        assertThat(chunks).containsExactly("Конечно,",
                "вот что я думаю об этом вопросе после долгого размышления. Второе предложение. Третье.");
    }

    @Test
    void lineBreak_endsAChunk_evenWithoutAnEndMark() {
        String text = "Шаги\n- открыть крышку\n- закрыть её.\r\nГотово";

        assertThat(texts(new UtteranceChunker(250, 250).split(text, Language.RU)))
                .containsExactly("Шаги", "- открыть крышку", "- закрыть её.", "Готово");
    }

    @Test
    void blankText_hasNoChunks() {
        assertThat(new UtteranceChunker(250, 80).split(" \n\t ", Language.EN)).isEmpty();
        assertThat(new UtteranceChunker(250, 80).split("", Language.EN)).isEmpty();
    }

    @Test
    void limits_comeFromTheSpeechSettings_andAreChecked() {
        String text = "one two three four five six seven eight nine ten eleven twelve";
        TtsConfig tts = new TtsConfig(null, null, null, null, null, null, null, null, null, null, 20, 10, null);

        List<UtteranceChunk> chunks = UtteranceChunker.from(tts).split(text, Language.EN);

        assertCoversTheText(text, chunks, 20, 10);
        assertThat(chunks.get(0).text()).isEqualTo("one two");
        assertThatThrownBy(() -> new UtteranceChunker(10, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UtteranceChunker(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Random texts from each alphabet and its punctuation, many seeds and limits: the invariants hold. */
    @ParameterizedTest
    @EnumSource(Language.class)
    void generatedTexts_neverCutAWord_neverExceedTheMaximumButForOneWord_andLoseNothing(Language language) {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed * 31L + language.ordinal());
            String text = generatedText(random, language, 50 + random.nextInt(2000));
            int max = 5 + random.nextInt(300);
            int first = 1 + random.nextInt(max);

            List<UtteranceChunk> chunks = new UtteranceChunker(max, first).split(text, language);

            assertCoversTheText(text, chunks, max, first);
        }
    }

    /**
     * The chunks are the text's own characters in order, separated by whitespace only, each beginning and
     * ending at a word's edge, within its limit unless it is one word.
     */
    static void assertCoversTheText(String text, List<UtteranceChunk> chunks, int max, int first) {
        StringBuilder rebuilt = new StringBuilder();
        int previousEnd = 0;
        for (int i = 0; i < chunks.size(); i++) {
            UtteranceChunk chunk = chunks.get(i);
            String context = "chunk " + i + " [" + chunk.text() + "] of [" + text + "]";
            assertThat(chunk.start()).as(context).isGreaterThanOrEqualTo(previousEnd);
            assertThat(text.substring(chunk.start(), chunk.end())).as(context).isEqualTo(chunk.text());
            assertThat(text.substring(previousEnd, chunk.start()).isBlank()).as("only whitespace before " + context).isTrue();
            assertThat(chunk.start() == 0 || Character.isWhitespace(text.charAt(chunk.start() - 1)))
                    .as("starts at a word's start: " + context).isTrue();
            assertThat(chunk.end() == text.length() || Character.isWhitespace(text.charAt(chunk.end())))
                    .as("ends at a word's end: " + context).isTrue();
            assertThat(Character.isWhitespace(chunk.text().charAt(0))
                    || Character.isWhitespace(chunk.text().charAt(chunk.text().length() - 1))).as(context).isFalse();
            boolean oneWord = chunk.text().chars().noneMatch(Character::isWhitespace);
            if (!oneWord) {
                assertThat(chunk.text().length()).as("within the limit: " + context).isLessThanOrEqualTo(i == 0 ? first : max);
            }
            rebuilt.append(text, previousEnd, chunk.start()).append(chunk.text());
            previousEnd = chunk.end();
        }
        assertThat(text.substring(previousEnd).isBlank()).as("only whitespace after the last chunk").isTrue();
        assertThat(rebuilt.append(text.substring(previousEnd)).toString()).isEqualTo(text);
    }

    private static final String[] PUNCTUATION = {". ", ", ", "! ", "? ", "... ", "… ", "?! ", "!? ", ": ", "; ",
            " — ", " – ", " - ", "-", " «", "» ", " \"", "\" ", " (", ") ", "\n", "\n\n", "  ", "\t", " 3.14 ",
            " 2,5 ", ".", ",", "“", "„", "\u00A0", " 1. ", " т. е. ", " e.g. "};

    private static String generatedText(Random random, Language language, int length) {
        String alphabet = switch (language) {
            case RU -> "абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
            case KK -> "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";
            case EN -> "abcdefghijklmnopqrstuvwxyz";
        };
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            int letters = random.nextInt(20) == 0 ? 20 + random.nextInt(300) : 1 + random.nextInt(12);
            for (int i = 0; i < letters; i++) {
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                text.append(i == 0 && random.nextInt(4) == 0 ? Character.toUpperCase(c) : c);
            }
            text.append(random.nextInt(3) == 0 ? PUNCTUATION[random.nextInt(PUNCTUATION.length)] : " ");
        }
        return text.toString();
    }

    private static List<String> texts(List<UtteranceChunk> chunks) {
        return chunks.stream().map(UtteranceChunk::text).toList();
    }
}
