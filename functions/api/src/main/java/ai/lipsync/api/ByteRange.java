package ai.lipsync.api;

import java.util.Locale;
import java.util.Optional;

/**
 * One satisfiable byte range of a file, inclusive at both ends (RFC 9110 section 14). Players
 * use single ranges; a multi-range request is answered with the whole file, which the RFC allows.
 */
record ByteRange(long start, long end, long size) {

    /** The request's range cannot be served from a file of this size: answer 416. */
    static final class Unsatisfiable extends Exception {
        Unsatisfiable() {
            super(null, null, false, false);
        }
    }

    long length() {
        return end - start + 1;
    }

    String contentRange() {
        return "bytes " + start + "-" + end + "/" + size;
    }

    /**
     * @return empty to serve the whole file (no Range header, another unit, or several ranges)
     * @throws Unsatisfiable for a malformed bytes range or one that starts past the end
     */
    static Optional<ByteRange> parse(String header, long size) throws Unsatisfiable {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String h = header.trim();
        if (!h.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return Optional.empty();
        }
        String spec = h.substring("bytes=".length()).trim();
        if (spec.contains(",")) {
            return Optional.empty();
        }
        int dash = spec.indexOf('-');
        if (dash < 0 || size <= 0) {
            throw new Unsatisfiable();
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        if (first.isEmpty()) {
            long suffix = lengthOrMax(last);
            if (suffix == 0) {
                throw new Unsatisfiable();
            }
            return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1, size));
        }
        long start = position(first);
        long end = last.isEmpty() ? size - 1 : lengthOrMax(last);
        if (start > end || start >= size) {
            throw new Unsatisfiable();
        }
        return Optional.of(new ByteRange(start, Math.min(end, size - 1), size));
    }

    /** A first-byte-pos: more than 18 digits is past the end of any file we serve. */
    private static long position(String s) throws Unsatisfiable {
        if (s.length() > 18) {
            throw new Unsatisfiable();
        }
        return lengthOrMax(s);
    }

    /**
     * A last-byte-pos or suffix-length. One too large for a long saturates: RFC 9110 clamps a
     * last-byte-pos past the end to the last byte, and a suffix longer than the file to all of it.
     */
    private static long lengthOrMax(String s) throws Unsatisfiable {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            throw new Unsatisfiable();
        }
        // leading zeros do not make a number large
        String digits = s.replaceFirst("^0+(?=.)", "");
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }
}
