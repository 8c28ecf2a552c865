package ai.lipsync.tts.text;

import ai.lipsync.session.Language;
import ai.lipsync.settings.TtsConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text into utterance chunks, each spoken by one speech request, so that speech can start
 * before the whole text is synthesized.
 *
 * <ul>
 * <li>Chunks end at sentence ends ({@link SentenceSplitter}) and at line breaks; whole sentences of one
 *     line are packed into a chunk while it stays within the maximum, so a text of short sentences does
 *     not become a request per sentence.</li>
 * <li>A sentence longer than the maximum is cut at its last clause boundary within it (after
 *     {@code , ; : …} or a standalone dash {@code — – -}), else at its last whitespace: never inside a word.
 *     A single word longer than the maximum is a chunk of its own, the only chunk that exceeds it.</li>
 * <li>The first chunk has its own, smaller maximum, cut the same way, so that the first words are
 *     synthesized and shown sooner.</li>
 * </ul>
 *
 * The chunks are in order and cover every non-whitespace character of the input exactly once: between
 * two chunks, and before the first and after the last, there is only whitespace.
 */
public final class UtteranceChunker {
    private final int maxChars;
    private final int firstChunkChars;

    /**
     * @param maxChars the longest chunk (characters), at least 1
     * @param firstChunkChars the longest first chunk, from 1 to {@code maxChars}
     */
    public UtteranceChunker(int maxChars, int firstChunkChars) {
        if (maxChars < 1 || firstChunkChars < 1 || firstChunkChars > maxChars) {
            throw new IllegalArgumentException("chunk limits must be 1 <= first (" + firstChunkChars
                    + ") <= max (" + maxChars + ")");
        }
        this.maxChars = maxChars;
        this.firstChunkChars = firstChunkChars;
    }

    /** The chunk limits the speech settings give. */
    public static UtteranceChunker from(TtsConfig tts) {
        return new UtteranceChunker(tts.maxChunkChars(), tts.firstChunkChars());
    }

    /** The chunks of {@code text} by the sentence rules of {@code language}; none for a blank text. */
    public List<UtteranceChunk> split(String text, Language language) {
        var splitter = new SentenceSplitter(Abbreviations.of(language));
        var packer = new Packer(text);
        int lineStart = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || isLineBreak(text.charAt(i))) {
                for (int[] sentence : splitter.sentences(text, lineStart, i)) {
                    packer.add(sentence[0], sentence[1]);
                }
                packer.flush();
                lineStart = i + 1;
            }
        }
        return List.copyOf(packer.chunks);
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029';
    }

    /** Gathers sentences into chunks, cutting the long ones. */
    private final class Packer {
        private final String text;
        private final List<UtteranceChunk> chunks = new ArrayList<>();
        private int pendingStart = -1;
        private int pendingEnd;

        Packer(String text) {
            this.text = text;
        }

        void add(int start, int end) {
            if (pendingStart >= 0 && end - pendingStart <= limit()) {
                pendingEnd = end;
                return;
            }
            flush();
            while (end - start > limit()) {
                int cut = cut(start, end, limit());
                emit(start, cut);
                start = SentenceSplitter.skipWhitespace(text, cut, end);
            }
            if (start < end) {
                pendingStart = start;
                pendingEnd = end;
            }
        }

        void flush() {
            if (pendingStart >= 0) {
                emit(pendingStart, pendingEnd);
                pendingStart = -1;
            }
        }

        private int limit() {
            return chunks.isEmpty() ? firstChunkChars : maxChars;
        }

        private void emit(int start, int end) {
            chunks.add(new UtteranceChunk(text.substring(start, end), start, end));
        }

        /**
         * Where a chunk of {@code text[start, end)} ends when the whole is longer than {@code limit}: the
         * last clause boundary within the limit, else the last whitespace, else the end of the first word.
         */
        private int cut(int start, int end, int limit) {
            int clause = -1;
            int space = -1;
            for (int i = start + 1; i <= start + limit; i++) {
                if (Character.isWhitespace(text.charAt(i)) && !Character.isWhitespace(text.charAt(i - 1))) {
                    space = i;
                    if (endsClause(start, i)) {
                        clause = i;
                    }
                }
            }
            if (clause > 0) {
                return clause;
            }
            if (space > 0) {
                return space;
            }
            int wordEnd = start;
            while (wordEnd < end && !Character.isWhitespace(text.charAt(wordEnd))) {
                wordEnd++;
            }
            return wordEnd;
        }

        /** Whether the word before whitespace at {@code i} ends a clause. */
        private boolean endsClause(int start, int i) {
            int last = i - 1;
            char c = text.charAt(last);
            boolean loneChar = last > start && Character.isWhitespace(text.charAt(last - 1));
            if (loneChar && (c == '—' || c == '–' || c == '-')) {
                return true;
            }
            while (last > start && SentenceSplitter.isCloser(c)) {
                c = text.charAt(--last);
            }
            return c == ',' || c == ';' || c == ':' || c == '…';
        }
    }
}
