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
            long suffix = number(last);
            if (suffix == 0) {
                throw new Unsatisfiable();
            }
            return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1, size));
        }
        long start = number(first);
        long end = last.isEmpty() ? size - 1 : number(last);
        if (start > end || start >= size) {
            throw new Unsatisfiable();
        }
        return Optional.of(new ByteRange(start, Math.min(end, size - 1), size));
    }

    private static long number(String s) throws Unsatisfiable {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
            throw new Unsatisfiable();
        }
        return Long.parseLong(s);
    }
}
