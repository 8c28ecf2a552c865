package ai.lipsync.testing;

import ai.lipsync.session.Language;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An assistant's answers as they come in each language: abbreviations, numbers, quotes, ellipses and
 * paragraphs, for the chunker's tests and the long-text sessions and benchmarks.
 */
public final class SampleAnswers {
    private static final Map<Language, List<String>> SENTENCES = Map.of(
            Language.RU, List.of(
                    "Здравствуйте!",
                    "Рад помочь с вашим вопросом о поездке в г. Алматы.",
                    "Город основан в 1854 г. как укрепление Верный, т. е. ему уже больше 170 лет.",
                    "Лучшее время для поездки — май или сентябрь, когда температура около 20,5 градуса.",
                    "«Медеу» и «Шымбулак» находятся примерно в 15 км от центра, см. карту на стр. 12.",
                    "Проф. А. Н. Иванов советует начинать с прогулки по ул. Панфилова и Арбату…",
                    "Что взять с собой?!",
                    "Удобную обувь, воду, солнцезащитный крем и т. д.",
                    "Если поедете зимой, то одевайтесь теплее, потому что в горах бывает до −15 градусов, а ветер сильный.",
                    "Хорошей поездки!"),
            Language.KK, List.of(
                    "Сәлеметсіз бе!",
                    "Алматы қ. туралы сұрағыңызға жауап берейін.",
                    "Қала 1854 ж. Верный бекінісі ретінде салынған, яғни оған 170 жылдан асты.",
                    "Саяхатқа ең жақсы уақыт — мамыр немесе қыркүйек, ауа райы шамамен 20,5 градус болады.",
                    "«Медеу» мен «Шымбұлақ» орталықтан 15 шақырымдай жерде орналасқан, мыс. көлікпен жарты сағат.",
                    "Қ. Сәтбаев атындағы көш. бойымен серуендеу де ұнайды…",
                    "Не алу керек?!",
                    "Ыңғайлы аяқкиім, су, күннен қорғайтын крем, т.б.",
                    "Қыста барсаңыз, жылы киініңіз, өйткені тауда аяз минус он бес градусқа дейін жетеді, ал жел күшті болады.",
                    "Сапарыңыз сәтті болсын!"),
            Language.EN, List.of(
                    "Hello!",
                    "I'm glad to help with your trip to Almaty.",
                    "The city was founded in 1854 as the fort of Verny, i.e. it is over 170 years old.",
                    "The best time to visit is May or September, when it is about 20.5 degrees.",
                    "\"Medeu\" and \"Shymbulak\" are about 15 km from the centre, see fig. 3 on p. 12.",
                    "Dr. J. R. Smith suggests starting with a walk along Panfilov St. and the Arbat...",
                    "What should you pack?!",
                    "Comfortable shoes, water, sunscreen, etc.",
                    "If you go in winter, dress warmly, because in the mountains it can be minus fifteen and the wind is strong.",
                    "Have a good trip!"));

    private SampleAnswers() {
    }

    /** The sentences, repeated, to at least {@code chars} characters; a paragraph break after every seventh. */
    public static String answer(Language language, int chars) {
        return answer(language, chars, new ArrayList<>());
    }

    /** As {@link #answer(Language, int)}, noting where each sentence ends in {@code sentenceEnds}. */
    public static String answer(Language language, int chars, List<Integer> sentenceEnds) {
        List<String> sentences = SENTENCES.get(language);
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < chars; i++) {
            if (text.length() > 0) {
                text.append(i % 7 == 0 ? "\n\n" : " ");
            }
            text.append(sentences.get(i % sentences.size()));
            sentenceEnds.add(text.length());
        }
        return text.toString();
    }

    /** The first {@code words} words of the answer. */
    public static String words(Language language, int words) {
        String[] all = answer(language, 400).split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(all, Math.min(words, all.length)));
    }
}
