package ai.lipsync.tts.text;

/**
 * One piece of the text that is spoken as one speech request.
 *
 * @param text the input's characters from {@code start} to {@code end}, no whitespace at either end
 * @param start offset of the first character in the input
 * @param end offset after the last character in the input: progress can be told in characters
 */
public record UtteranceChunk(String text, int start, int end) {
    public UtteranceChunk {
        if (start < 0 || end <= start || text.length() != end - start) {
            throw new IllegalArgumentException("a chunk spans " + start + ".." + end + " but holds "
                    + text.length() + " characters");
        }
    }
}
