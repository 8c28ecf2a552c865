package ai.lipsync.tts.text;

import ai.lipsync.session.Language;

import java.util.Set;

/**
 * Abbreviations whose final period does not end a sentence, per language, written in lower case
 * without the final period and without spaces ({@code "т. е."} is {@code "т.е"}).
 * Abbreviations that often end a sentence ({@code etc.}, {@code т.д.}, {@code т.б.}) end one, like any
 * word, when the next word starts with a capital; the spaced ones among them are listed in
 * {@code sentenceEnding} so that their last part ({@code д.} of {@code т. д.}) is not read as another one.
 *
 * @param beforeName words that always precede what they name: {@code Dr. Smith}, {@code ул. Абая}
 * @param beforeNumber words that precede a number: {@code No. 5}, {@code стр. 12}; only there they do not end a sentence
 * @param afterNumber units and years that follow a number ({@code 1799 г.}, {@code 5 см.}) and may end a
 *     sentence there, but elsewhere precede a name ({@code г. Москва}, {@code см. выше})
 * @param sentenceEnding abbreviations of several parts that may end a sentence
 */
record Abbreviations(Set<String> beforeName, Set<String> beforeNumber, Set<String> afterNumber,
        Set<String> sentenceEnding) {

    /** Whether {@code key} is one of this language's abbreviations, of any kind. */
    boolean knows(String key) {
        return beforeName.contains(key) || beforeNumber.contains(key) || afterNumber.contains(key)
                || sentenceEnding.contains(key);
    }

    private static final Set<String> EN_BEFORE_NAME = Set.of("mr", "mrs", "ms", "dr", "prof", "st", "mt", "sr",
            "gen", "col", "capt", "lt", "sgt", "rev", "hon", "gov", "sen", "rep", "pres", "e.g", "i.e", "vs", "cf",
            "approx", "dept", "est");
    private static final Set<String> EN_BEFORE_NUMBER = Set.of("no", "nos", "p", "pp", "fig", "vol", "ch", "art",
            "sec", "op", "ex");

    private static final Set<String> EN_SENTENCE_ENDING = Set.of("a.m", "p.m", "u.s", "u.k", "b.c", "a.d");

    static final Abbreviations EN = new Abbreviations(EN_BEFORE_NAME, EN_BEFORE_NUMBER, Set.of(), EN_SENTENCE_ENDING);

    /** Russian; English titles too, since Latin words never collide with Cyrillic ones. */
    static final Abbreviations RU = new Abbreviations(
            union(EN_BEFORE_NAME, Set.of("т.е", "т.к", "т.н", "напр", "ул", "пр", "пл", "пер", "просп", "д", "кв",
                    "корп", "им", "проф", "акад", "доц", "канд", "тов", "гр", "г-н", "г-жа", "ср", "с", "п", "пос",
                    "дер", "ст", "оз", "р", "о", "обл", "респ", "ген", "св", "муж", "жен", "букв", "англ", "рус",
                    "каз", "лат", "франц", "нем")),
            union(EN_BEFORE_NUMBER, Set.of("стр", "рис", "табл", "гл", "т", "ч", "разд", "прил", "№")),
            Set.of("г", "гг", "в", "вв", "см", "тыс", "млн", "млрд", "руб", "коп", "км", "кг", "мин", "сек"),
            union(EN_SENTENCE_ENDING, Set.of("т.д", "т.п", "и.т.д", "и.т.п", "н.э", "до.н.э", "т.ч", "и.о")));

    /**
     * Kazakh (мыс. "for example", көш. "street", қ. "city", ауд. "district", б. "page", сур. "figure",
     * ж. "year", ғ. "century") and the Russian ones, common in Kazakh texts. The year and the century never end
     * a sentence here: the Kazakh verb comes last ({@code 1845 ж. туған}), so a capital after them is a name.
     */
    static final Abbreviations KK = new Abbreviations(
            union(RU.beforeName, Set.of("мыс", "көш", "қ", "ауд", "ж", "жж", "ғ", "ғғ")),
            union(RU.beforeNumber, Set.of("б", "сур", "бөл", "тар")),
            RU.afterNumber,
            union(RU.sentenceEnding, Set.of("т.б", "т.с.с", "ж.т.б", "ж.б", "б.з.б", "б.з.д", "б.з")));

    static Abbreviations of(Language language) {
        return switch (language) {
            case EN -> EN;
            case RU -> RU;
            case KK -> KK;
        };
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
