package ai.lipsync.api.aws;

import ai.lipsync.api.SegmentLinks;
import ai.lipsync.storage.StreamFile;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Segment URIs under a CloudFront distribution whose origin is the stream bucket (origin access
 * control keeps the bucket private): {@code {base}/{key}}. Segments are immutable, so the edge
 * caches them for good; the playlist itself keeps coming from the API, uncached.
 */
public final class CloudFrontSegmentLinks implements SegmentLinks {
    private final String base;
    private final StreamObjectKeys keys;

    /** @param baseUrl e.g. {@code https://d111111abcdef8.cloudfront.net}; a trailing slash is ignored */
    public CloudFrontSegmentLinks(String baseUrl, StreamObjectKeys keys) {
        this.base = validBase(baseUrl);
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public String uri(String sessionId, StreamFile file) {
        // Session ids and stream file names use URL-safe characters only, so the key needs no escaping.
        return base + "/" + keys.key(sessionId, file);
    }

    private static String validBase(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("The CloudFront base URL is empty.");
        }
        String b = baseUrl.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        try {
            URI uri = new URI(b);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("The CloudFront base URL must be http(s)://host[/path] without a query: " + baseUrl);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The CloudFront base URL is not a URL: " + baseUrl, e);
        }
        return b;
    }
}
