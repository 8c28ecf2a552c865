package ai.lipsync.tts.text;

import ai.lipsync.session.Language;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sentence rules per language, on texts of several sentences: each expected list is the text's
 * sentences, and the text is their join, so a sentence the splitter merges or breaks shows as a diff.
 */
class SentenceRulesTest {

    @Test
    void russian_abbreviationsInitialsNumbersQuotesEllipses() {
        assertSentences(Language.RU,
                "А. С. Пушкин родился в 1799 г. в Москве.",
                "Он жил на ул. Ленина, т. е. в центре, см. карту.",
                "«Привет!» — сказал он.",
                "Число 3,14 больше, чем 2.5 и т.д.",
                "Это т. д. и т. п.",
                "Ну… ладно.",
                "Что?!",
                "Да!?",
                "Нет...",
                "Посмотрим?..",
                "„Цитата.“",
                "Конец войны был в 1812 г.",
                "Потом мир.",
                "См. рис. 3 ниже, а также стр. 12 и табл. 2.",
                "В XIX в. жил Толстой, а это было в XIX в.",
                "Толстой писал романы.",
                "Проф. Иванов и г. Москва.",
                "Адрес: www.example.ru или mail@example.ru.",
                "— Как дела?",
                "— Хорошо.");
    }

    @Test
    void kazakh_abbreviationsYearsQuotesEllipses() {
        assertSentences(Language.KK,
                "Абай Құнанбайұлы 1845 ж. туған.",
                "Ол ақын, ойшыл, т.б. болды.",
                "«Сәлем!» — деді ол.",
                "Мыс. Абай көш. 5 үйде тұрады.",
                "Бұл XIX ғ. Абай заманы еді.",
                "Ол кезде ауыл, қала т.с.с.",
                "Қ. Сәтбаев 1899 ж. Баянауылда туды.",
                "Жарайды…",
                "Иә?!",
                "Мен 2,5 сағат күттім, яғни ұзақ.",
                "Қараңыз: б. 12.",
                "Алматы қ. Абай даңғылы, ж.т.б.",
                "Келесі сөйлем.");
    }

    @Test
    void english_titlesInitialsDecimalsQuotesListsAndAddresses() {
        assertSentences(Language.EN,
                "Mr. Smith met Dr. J. R. Jones at 3.14 p.m. today.",
                "He said hi!",
                "Did he?!",
                "Yes... maybe.",
                "\"Go home.\"",
                "She left.",
                "The U.S. economy grew 2.5% in 2023.",
                "Call e.g. John, i.e. me.",
                "See www.example.com or mail a.b@c.org now.",
                "Steps: 1. Open the lid.",
                "2. Close it.",
                "See fig. 3 and No. 5 here.",
                "It's 5 p.m.",
                "Then we go (quietly.)",
                "“Really?”",
                "OK, etc.",
                "Fine.");
    }

    @Test
    void aLowerCaseWordAfterTheMark_continuesTheSentence_inEveryLanguage() {
        assertThat(sentences(Language.EN, "Wait... and see. Then go.")).containsExactly("Wait... and see.", "Then go.");
        assertThat(sentences(Language.RU, "«Стой!» — крикнул он. Все встали."))
                .containsExactly("«Стой!» — крикнул он.", "Все встали.");
        assertThat(sentences(Language.KK, "Ол келді. ал біз кеттік.")).as("sloppy case is kept whole")
                .containsExactly("Ол келді. ал біз кеттік.");
    }

    @Test
    void theRulesAreTheLanguages_aRussianAbbreviationEndsAnEnglishSentence() {
        assertThat(sentences(Language.RU, "Дом на ул. Абая.")).containsExactly("Дом на ул. Абая.");
        assertThat(sentences(Language.KK, "Абай көш. Алматыда.")).containsExactly("Абай көш. Алматыда.");
        assertThat(sentences(Language.RU, "Абай көш. Алматыда.")).as("көш. is Kazakh")
                .containsExactly("Абай көш.", "Алматыда.");
        assertThat(sentences(Language.EN, "In 1799 г. Moscow.")).as("г. is not English")
                .containsExactly("In 1799 г.", "Moscow.");
    }

    private static void assertSentences(Language language, String... expected) {
        String text = String.join(" ", expected);
        assertThat(sentences(language, text)).containsExactly(expected);
    }

    static List<String> sentences(Language language, String text) {
        return new SentenceSplitter(Abbreviations.of(language)).sentences(text, 0, text.length()).stream()
                .map(s -> text.substring(s[0], s[1])).toList();
    }
}
