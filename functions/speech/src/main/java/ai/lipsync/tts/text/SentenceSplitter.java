package ai.lipsync.tts.text;

import java.util.ArrayList;
import java.util.List;

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
            // "1. First item": the number opens the sentence, it does not end one
            return wordStart != sentenceStart;
        }
        if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
            // An initial: "А. С. Пушкин", "J. R. R. Tolkien"
            return !Character.isUpperCase(first);
        }
        String key = abbreviationKey(text, wordStart, word, sentenceStart);
        if (abbreviations.beforeName().contains(key)) {
            return false;
        }
        if (abbreviations.beforeNumber().contains(key) && Character.isDigit(first)) {
            return false;
        }
        if (abbreviations.afterNumber().contains(key)) {
            // "в 1799 г. Он" ends a sentence; "г. Москва" does not
            return followsNumber(text, wordStart - skipBackGroup(text, wordStart, sentenceStart), sentenceStart);
        }
        return true;
    }

    /**
     * The abbreviation as the tables write it: lower case, the periods inside kept, the spaces of a
     * spaced one dropped ({@code т. е.} is {@code т.е}), from the short dotted words before it in this sentence.
     */
    private static String abbreviationKey(String text, int wordStart, String word, int sentenceStart) {
        int groupStart = wordStart - skipBackGroup(text, wordStart, sentenceStart);
        String group = text.substring(groupStart, wordStart).replaceAll("\\s+", "") + word;
        return group.toLowerCase(java.util.Locale.ROOT);
    }

    /** How many characters before {@code wordStart} are short dotted words ("т. " of "т. е.") and their spaces. */
    private static int skipBackGroup(String text, int wordStart, int sentenceStart) {
        int start = wordStart;
        while (true) {
            int space = start;
            while (space > sentenceStart && text.charAt(space - 1) == ' ') {
                space--;
            }
            if (space == start || space == sentenceStart || text.charAt(space - 1) != '.') {
                return wordStart - start;
            }
            int letters = space - 1;
            while (letters > sentenceStart && Character.isLetter(text.charAt(letters - 1))) {
                letters--;
            }
            int length = space - 1 - letters;
            boolean wordStartsThere = letters == sentenceStart || Character.isWhitespace(text.charAt(letters - 1));
            if (length < 1 || length > 3 || !wordStartsThere) {
                return wordStart - start;
            }
            start = letters;
        }
    }

    private static boolean followsNumber(String text, int wordStart, int sentenceStart) {
        int end = wordStart;
        while (end > sentenceStart && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return end > sentenceStart && end < wordStart && Character.isDigit(text.charAt(end - 1));
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
