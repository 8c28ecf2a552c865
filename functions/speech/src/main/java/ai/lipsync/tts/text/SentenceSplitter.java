package ai.lipsync.tts.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the sentences of one line of text. A run of end marks ({@code . ! ? …}, in any mix: {@code ?!},
 * {@code ...}), with the closing quotes and brackets after it, ends a sentence when whitespace follows and
 * the next word (after opening quotes and dashes) does not start with a lower-case letter: so
 * {@code «Привет!» — сказал он} and {@code Ну… ладно} stay whole, and a mark inside a token never ends
 * one ({@code 3.14}, {@code 3,14}, {@code example.com}, {@code a.b@c.org}, {@code e.g.,}). A lone period
 * also does not end a sentence after an abbreviation of the language ({@link Abbreviations}), after an
 * initial before a capitalised word ({@code А. С. Пушкин}), or after the number of a numbered list item.
 *
 * <p>{@link java.text.BreakIterator#getSentenceInstance} was tried first: it breaks after
 * {@code Mr.}, {@code ул.} and initials, inside {@code «Привет!» — сказал он}, after {@code 1.} of a
 * list, and misses ends after {@code …} and {@code „…“}; these rules replace it rather than patch it.
 */
final class SentenceSplitter {
    private final Abbreviations abbreviations;

    SentenceSplitter(Abbreviations abbreviations) {
        this.abbreviations = abbreviations;
    }

    /** The sentences of {@code text[from, to)} (one line) as {start, end} pairs, without surrounding whitespace. */
    List<int[]> sentences(String text, int from, int to) {
        List<int[]> sentences = new ArrayList<>();
        int sentenceStart = skipWhitespace(text, from, to);
        for (int i = sentenceStart; i < to; i++) {
            if (!isEndMark(text.charAt(i))) {
                continue;
            }
            int marksEnd = i;
            while (marksEnd < to && isEndMark(text.charAt(marksEnd))) {
                marksEnd++;
            }
            int end = marksEnd;
            while (end < to && isCloser(text.charAt(end))) {
                end++;
            }
            if (end == to || Character.isWhitespace(text.charAt(end))) {
                boolean lonePeriod = marksEnd - i == 1 && text.charAt(i) == '.';
                if (endsSentence(text, i, end, to, lonePeriod, sentenceStart)) {
                    sentences.add(new int[] {sentenceStart, end});
                    sentenceStart = skipWhitespace(text, end, to);
                }
            }
            i = end - 1;
        }
        int last = trimEnd(text, sentenceStart, to);
        if (last > sentenceStart) {
            sentences.add(new int[] {sentenceStart, last});
        }
        return sentences;
    }

    private boolean endsSentence(String text, int mark, int end, int to, boolean lonePeriod, int sentenceStart) {
        int next = nextWordStart(text, end, to);
        if (next < 0) {
            return true;
        }
        char first = text.charAt(next);
        if (Character.isLowerCase(first)) {
            return false;
        }
        if (!lonePeriod) {
            return true;
        }
        int wordStart = wordStart(text, mark, sentenceStart);
        String word = text.substring(wordStart, mark);
        if (word.isEmpty()) {
            return true;
        }
        if (isNumber(word)) {
            // "1. First item", "Steps: 1. Open": the number of a list item opens a sentence, it does not end one
            return wordStart != sentenceStart && !afterColon(text, wordStart, sentenceStart);
        }
        if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
            // An initial: "А. С. Пушкин", "J. R. R. Tolkien"
            return !Character.isUpperCase(first);
        }
        int groupStart = wordStart;
        String key = abbreviationKey(word);
        for (int partStart : dottedPartsBefore(text, wordStart, sentenceStart)) {
            String longer = abbreviationKey(text.substring(partStart, wordStart) + word);
            if (abbreviations.knows(longer)) {
                groupStart = partStart;
                key = longer;
                break;
            }
        }
        if (abbreviations.beforeName().contains(key)) {
            return false;
        }
        if (abbreviations.beforeNumber().contains(key) && Character.isDigit(first)) {
            return false;
        }
        if (abbreviations.afterNumber().contains(key)) {
            // "в 1799 г. Он" ends a sentence; "г. Москва" does not
            return followsNumber(text, groupStart, sentenceStart);
        }
        return true;
    }

    /**
     * The starts of the short dotted words just before {@code wordStart} in this sentence, farthest
     * first: for the {@code е.} of {@code т. е.}, the start of {@code т.}; a spaced abbreviation is
     * looked up whole before its last part.
     */
    private static List<Integer> dottedPartsBefore(String text, int wordStart, int sentenceStart) {
        List<Integer> starts = new ArrayList<>();
        int start = wordStart;
        while (true) {
            int space = start;
            while (space > sentenceStart && text.charAt(space - 1) == ' ') {
                space--;
            }
            if (space == start || space == sentenceStart || text.charAt(space - 1) != '.') {
                return starts;
            }
            int letters = space - 1;
            while (letters > sentenceStart && Character.isLetter(text.charAt(letters - 1))) {
                letters--;
            }
            int length = space - 1 - letters;
            boolean wordStartsThere = letters == sentenceStart || Character.isWhitespace(text.charAt(letters - 1));
            if (length < 1 || length > 3 || !wordStartsThere) {
                return starts;
            }
            start = letters;
            starts.add(0, start);
        }
    }

    /** As the tables write an abbreviation: lower case, no spaces ({@code т. е} is {@code т.е}). */
    private static String abbreviationKey(String written) {
        return written.replaceAll("[\\s\\u00A0\\u202F]+", "").toLowerCase(Locale.ROOT);
    }

    /** Whether the word before {@code wordStart} is a number, in digits or Roman ({@code XIX в.}, Cyrillic look-alikes too). */
    private static boolean followsNumber(String text, int wordStart, int sentenceStart) {
        int end = wordStart;
        while (end > sentenceStart && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end == wordStart) {
            return false;
        }
        int start = end;
        while (start > sentenceStart && !Character.isWhitespace(text.charAt(start - 1))) {
            start--;
        }
        String word = text.substring(start, end);
        return !word.isEmpty() && (isNumber(word) || word.chars().allMatch(c -> "IVXLCMІХСМ".indexOf(c) >= 0));
    }

    private static boolean afterColon(String text, int wordStart, int sentenceStart) {
        int before = wordStart;
        while (before > sentenceStart && Character.isWhitespace(text.charAt(before - 1))) {
            before--;
        }
        return before < wordStart && before > sentenceStart && text.charAt(before - 1) == ':';
    }

    /** The start of the word that ends at {@code mark}, past opening quotes and brackets. */
    private static int wordStart(String text, int mark, int sentenceStart) {
        int start = mark;
        while (start > sentenceStart && !Character.isWhitespace(text.charAt(start - 1))) {
            start--;
        }
        while (start < mark && isOpener(text.charAt(start))) {
            start++;
        }
        return start;
    }

    /** The first letter or digit of the next word, past whitespace, opening quotes and dashes; -1 if none. */
    private static int nextWordStart(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                return i;
            }
            if (!Character.isWhitespace(c) && !isOpener(c)) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isNumber(String word) {
        return word.chars().allMatch(Character::isDigit);
    }

    static boolean isEndMark(char c) {
        return c == '.' || c == '!' || c == '?' || c == '…';
    }

    static boolean isCloser(char c) {
        return c == '»' || c == '"' || c == '\'' || c == '”' || c == '“' || c == '’' || c == ')' || c == ']'
                || c == '›';
    }

    private static boolean isOpener(char c) {
        return c == '«' || c == '„' || c == '“' || c == '"' || c == '\'' || c == '‘' || c == '(' || c == '['
                || c == '‹' || c == '—' || c == '–' || c == '-' || c == '*' || c == '•';
    }

    static int skipWhitespace(String text, int from, int to) {
        while (from < to && Character.isWhitespace(text.charAt(from))) {
            from++;
        }
        return from;
    }

    static int trimEnd(String text, int from, int to) {
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        return to;
    }
}
