package ai.lipsync.session;

import java.text.Normalizer;

/**
 * What a request's text must be before anything speaks it: valid Unicode (no unpaired surrogate)
 * without control characters other than line breaks and tabs, in NFC, so one visible text is one
 * string whatever the client's keyboard composed (and its length is counted as a person counts it).
 */
final class SpeechText {
    private SpeechText() {
    }

    /**
     * @return {@code text} in Unicode normalisation form C
     * @throws ValidationException {@code invalid_text}, naming the first offending character and its
     *     position (in characters, counted from 1)
     */
    static String normalized(String text) {
        int position = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int c = text.codePointAt(i);
            position++;
            // codePointAt yields a lone surrogate's own value: a pair would have made a supplementary code point.
            if (Character.getType(c) == Character.SURROGATE) {
                throw new ValidationException(ValidationException.INVALID_TEXT, "The text contains an unpaired "
                        + "surrogate " + codePoint(c) + " at position " + position + ": it is not valid Unicode "
                        + "(perhaps half of an emoji cut off).");
            }
            if (Character.getType(c) == Character.CONTROL && c != '\n' && c != '\r' && c != '\t') {
                throw new ValidationException(ValidationException.INVALID_TEXT, "The text contains the control "
                        + "character " + codePoint(c) + " at position " + position
                        + "; only line breaks and tabs are allowed.");
            }
        }
        return Normalizer.normalize(text, Normalizer.Form.NFC);
    }

    private static String codePoint(int c) {
        return String.format("U+%04X", c);
    }
}
