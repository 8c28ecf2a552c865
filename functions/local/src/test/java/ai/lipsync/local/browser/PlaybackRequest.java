package ai.lipsync.local.browser;

import java.time.Duration;

/**
 * One run of the browser playback script.
 *
 * @param name        names the artifacts (screenshot, report, browser log) under target/browser-artifacts
 * @param url         the page to open
 * @param mode        {@code demo}: type the text and click Start; {@code player}: the page plays by itself
 * @param text        demo mode: the text to type
 * @param lang        demo mode: the language to pick
 * @param avatar      demo mode: the avatar to type, or null
 * @param expectError demo mode: wait for the page's error box instead of playback
 * @param midSeconds  the media time at which the screenshot is taken
 * @param stopAtSeconds demo mode: the media time at which Stop is clicked, or null for never
 * @param timeout     the limit for the whole run, browser start included
 */
record PlaybackRequest(String name, String url, String mode, String text, String lang, String avatar,
                       boolean expectError, double midSeconds, Double stopAtSeconds, Duration timeout) {

    PlaybackRequest renamed(String newName) {
        return new PlaybackRequest(newName, url, mode, text, lang, avatar, expectError, midSeconds, stopAtSeconds,
                timeout);
    }

    static PlaybackRequest player(String name, String url, double midSeconds, Duration timeout) {
        return new PlaybackRequest(name, url, "player", null, null, null, false, midSeconds, null, timeout);
    }

    static PlaybackRequest demo(String name, String url, String text, String lang, double midSeconds,
                                Duration timeout) {
        return new PlaybackRequest(name, url, "demo", text, lang, null, false, midSeconds, null, timeout);
    }

    /** The demo page's answer, stopped with its Stop button once the video has played {@code stopAtSeconds}. */
    static PlaybackRequest demoStopped(String name, String url, String text, String lang, double stopAtSeconds,
                                       Duration timeout) {
        return new PlaybackRequest(name, url, "demo", text, lang, null, false, stopAtSeconds, stopAtSeconds, timeout);
    }

    static PlaybackRequest demoExpectingError(String name, String url, String text, String lang, String avatar,
                                              Duration timeout) {
        return new PlaybackRequest(name, url, "demo", text, lang, avatar, true, 0, null, timeout);
    }
}
