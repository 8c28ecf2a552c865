package ai.lipsync.testing;

import ai.lipsync.audio.PcmAudio;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks an HLS fMP4 stream with the FFmpeg build's own {@code ffprobe} and {@code ffmpeg}
 * executables: the playlist's tags and target duration, codecs, per-segment durations and
 * keyframes, audio/video length, and a full decode without errors. Reusable from other modules'
 * tests through media's test-jar: download a stream into a directory and call {@link #inspect}.
 */
public final class HlsStreamInspector {
    private final BundledFfmpeg tools = new BundledFfmpeg();

    /** One media segment, probed as init.mp4 + segment. */
    public record SegmentProbe(String name, double extinf, int videoFrames, double videoSeconds,
            boolean startsWithKeyframe, List<Double> keyframeTimes) {
    }

    /** What {@link #inspect} found. */
    public record StreamReport(String playlist, int targetDuration, List<SegmentProbe> segments, String videoCodec,
            String audioCodec, double videoSeconds, double audioSeconds, String decodeErrors) {
    }

    /** The tags every version of our playlist must carry; {@code ended} says whether ENDLIST is expected. */
    public static void assertPlaylistText(String playlist, boolean ended) {
        List<String> lines = playlist.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        assertThat(lines.get(0)).isEqualTo("#EXTM3U");
        int version = Integer.parseInt(tag(lines, "#EXT-X-VERSION:"));
        assertThat(version).as("EXT-X-VERSION").isGreaterThanOrEqualTo(7);
        assertThat(lines).contains("#EXT-X-INDEPENDENT-SEGMENTS", "#EXT-X-MAP:URI=\"init.mp4\"",
                "#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-MEDIA-SEQUENCE:0");
        assertThat(startTimeOffset(playlist)).as("EXT-X-START TIME-OFFSET: players start at the first second")
                .isZero();
        int target = Integer.parseInt(tag(lines, "#EXT-X-TARGETDURATION:"));
        List<Double> durations = extinfs(lines);
        assertThat(durations).as("segments listed").isNotEmpty();
        double longest = durations.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertThat(target).as("TARGETDURATION = ceil(longest EXTINF %s)", longest)
                .isEqualTo((int) Math.ceil(longest - 1e-3));
        if (ended) {
            assertThat(lines.get(lines.size() - 1)).isEqualTo("#EXT-X-ENDLIST");
        } else {
            assertThat(lines).doesNotContain("#EXT-X-ENDLIST");
        }
    }

    /**
     * The TIME-OFFSET of the playlist's {@code #EXT-X-START} tag (RFC 8216, 4.3.5.2), read the way a
     * player reads its attribute list; fails unless exactly one such tag is there.
     */
    public static double startTimeOffset(String playlist) {
        List<String> starts = playlist.lines().map(String::trim).filter(l -> l.startsWith("#EXT-X-START:")).toList();
        assertThat(starts).as("EXT-X-START tags").hasSize(1);
        String attributes = starts.get(0).substring("#EXT-X-START:".length());
        // Attribute values here are numbers or enumerated strings: no quoted commas to care about.
        for (String attribute : attributes.split(",")) {
            int eq = attribute.indexOf('=');
            if (eq > 0 && attribute.substring(0, eq).trim().equals("TIME-OFFSET")) {
                return Double.parseDouble(attribute.substring(eq + 1).trim());
            }
        }
        throw new AssertionError("EXT-X-START without TIME-OFFSET: " + starts.get(0));
    }

    /**
     * Probes the stream in {@code dir} (playlist.m3u8, init.mp4, segment_NNN.m4s) and asserts every
     * rule: 1.0 s segments except a shorter last one, a keyframe at each segment start and nowhere
     * else, H.264 + AAC, audio and video within one frame, and a clean full decode.
     */
    public StreamReport assertValidStream(Path dir, int fps, boolean ended) throws IOException, InterruptedException {
        StreamReport report = inspect(dir);
        assertPlaylistText(report.playlist(), ended);
        assertThat(report.videoCodec()).isEqualTo("h264");
        assertThat(report.audioCodec()).isEqualTo("aac");
        List<SegmentProbe> segments = report.segments();
        for (int i = 0; i < segments.size(); i++) {
            SegmentProbe s = segments.get(i);
            assertThat(s.startsWithKeyframe()).as("%s starts with a keyframe", s.name()).isTrue();
            assertThat(s.keyframeTimes()).as("%s has exactly one keyframe", s.name()).hasSize(1);
            if (i < segments.size() - 1) {
                assertThat(s.videoFrames()).as("%s frames", s.name()).isEqualTo(fps);
                assertThat(s.extinf()).as("%s EXTINF", s.name()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
            } else {
                assertThat(s.videoFrames()).as("last segment frames").isBetween(1, fps);
                assertThat(s.extinf()).as("last EXTINF").isLessThanOrEqualTo(1.0 + 1e-3);
            }
            assertThat(s.videoSeconds()).as("%s probed video length vs EXTINF", s.name())
                    .isCloseTo(s.extinf(), org.assertj.core.data.Offset.offset(0.5 / fps));
        }
        assertThat(Math.abs(report.audioSeconds() - report.videoSeconds())).as(
                "audio %s s vs video %s s", report.audioSeconds(), report.videoSeconds())
                .isLessThanOrEqualTo(1.0 / fps);
        assertThat(report.decodeErrors()).as("ffmpeg decode errors").isEmpty();
        return report;
    }

    /**
     * Asserts that the stream (init.mp4 + the listed segments, as a player joins them) has one timeline
     * per track: decode timestamps strictly increasing, and each packet starting where the one before
     * ended (no gap, no overlap), for the video and for the audio (after the AAC priming the edit list
     * drops). Returns the number of packets checked per track (video, audio).
     */
    public int[] assertContinuousTimelines(Path dir) throws IOException, InterruptedException {
        List<String> names = Files.readString(dir.resolve("playlist.m3u8")).lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        Path whole = Files.createTempFile("hls-timeline-", ".mp4");
        try {
            try (OutputStream all = Files.newOutputStream(whole)) {
                all.write(Files.readAllBytes(dir.resolve("init.mp4")));
                for (String name : names) {
                    all.write(Files.readAllBytes(dir.resolve(name)));
                }
            }
            int[] counts = new int[2];
            String[] streams = {"v:0", "a:0"};
            for (int k = 0; k < 2; k++) {
                String csv = probe("-v", "error", "-select_streams", streams[k], "-show_packets", "-show_entries",
                        "packet=dts_time,duration_time", "-of", "csv=p=0", whole.toString());
                double previousDts = Double.NEGATIVE_INFINITY;
                double expected = Double.NaN;
                for (String line : csv.lines().map(String::trim).filter(l -> !l.isEmpty()).toList()) {
                    String[] f = line.split(",");
                    double dts = Double.parseDouble(f[0]);
                    assertThat(dts).as("%s packet %d dts", streams[k], counts[k]).isGreaterThan(previousDts);
                    previousDts = dts;
                    if (f.length < 2 || f[1].startsWith("N/A")) {
                        continue; // the encoder's priming
                    }
                    if (!Double.isNaN(expected)) {
                        assertThat(dts).as("%s packet %d starts where the one before ended", streams[k], counts[k])
                                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4));
                    }
                    expected = dts + Double.parseDouble(f[1]);
                    counts[k]++;
                }
            }
            return counts;
        } finally {
            Files.deleteIfExists(whole);
        }
    }

    /** Gathers the facts without judging them. */
    public StreamReport inspect(Path dir) throws IOException, InterruptedException {
        String playlist = Files.readString(dir.resolve("playlist.m3u8"));
        List<String> lines = playlist.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        int target = Integer.parseInt(tag(lines, "#EXT-X-TARGETDURATION:"));
        List<String> names = lines.stream().filter(l -> !l.startsWith("#")).toList();
        List<Double> durations = extinfs(lines);
        byte[] init = Files.readAllBytes(dir.resolve("init.mp4"));
        Path whole = Files.createTempFile("hls-whole-", ".mp4");
        List<SegmentProbe> segments = new ArrayList<>();
        try (OutputStream all = Files.newOutputStream(whole)) {
            all.write(init);
            for (int i = 0; i < names.size(); i++) {
                byte[] media = Files.readAllBytes(dir.resolve(names.get(i)));
                all.write(media);
                segments.add(probeSegment(names.get(i), durations.get(i), init, media));
            }
        }
        try {
            String videoCodec = probe("-v", "error", "-select_streams", "v:0", "-show_entries",
                    "stream=codec_name", "-of", "csv=p=0", whole.toString()).trim();
            String audioCodec = probe("-v", "error", "-select_streams", "a:0", "-show_entries",
                    "stream=codec_name", "-of", "csv=p=0", whole.toString()).trim();
            double video = streamSeconds(whole, "v:0");
            double audio = streamSeconds(whole, "a:0");
            String errors = decodeErrors(dir.resolve("playlist.m3u8"));
            return new StreamReport(playlist, target, segments, videoCodec, audioCodec, video, audio, errors);
        } finally {
            Files.deleteIfExists(whole);
        }
    }

    /**
     * The stream's audio as a player hears it: init.mp4 and the listed segments decoded by FFmpeg
     * (through JavaCV) to mono float PCM at the track's own sample rate.
     */
    public PcmAudio decodeAudio(Path dir) throws IOException {
        List<String> names = Files.readString(dir.resolve("playlist.m3u8")).lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        Path whole = Files.createTempFile("hls-audio-", ".mp4");
        try {
            try (OutputStream all = Files.newOutputStream(whole)) {
                all.write(Files.readAllBytes(dir.resolve("init.mp4")));
                for (String name : names) {
                    all.write(Files.readAllBytes(dir.resolve(name)));
                }
            }
            try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(whole.toFile())) {
                grabber.setAudioChannels(1);
                grabber.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
                grabber.start();
                int rate = grabber.getSampleRate();
                float[] samples = new float[0];
                int count = 0;
                Frame frame;
                while ((frame = grabber.grabSamples()) != null) {
                    FloatBuffer buffer = (FloatBuffer) frame.samples[0];
                    int n = buffer.remaining();
                    if (count + n > samples.length) {
                        samples = Arrays.copyOf(samples, Math.max(2 * samples.length, count + n));
                    }
                    buffer.duplicate().get(samples, count, n);
                    count += n;
                }
                return new PcmAudio(Arrays.copyOf(samples, count), rate);
            }
        } finally {
            Files.deleteIfExists(whole);
        }
    }

    /** Everything {@code ffmpeg -v error} prints while decoding the whole playlist (empty = clean). */
    public String decodeErrors(Path playlist) throws IOException, InterruptedException {
        return decodeErrors(playlist.toString());
    }

    /**
     * The same for a playlist ffmpeg reads over HTTP, as a player does.
     *
     * @param playlist a file path or an http(s) URL
     */
    public String decodeErrors(String playlist) throws IOException, InterruptedException {
        Process p = tools.ffmpeg(List.of("-nostdin", "-v", "error", "-i", playlist, "-f", "null", "-"))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "ffmpeg timed out";
        }
        return p.exitValue() == 0 ? out.trim() : ("exit " + p.exitValue() + ": " + out).trim();
    }

    private SegmentProbe probeSegment(String name, double extinf, byte[] init, byte[] media)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile("hls-seg-", ".mp4");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(init);
                out.write(media);
            }
            String csv = probe("-v", "error", "-select_streams", "v:0", "-show_packets", "-show_entries",
                    "packet=pts_time,duration_time,flags", "-of", "csv=p=0", file.toString());
            List<String[]> packets = csv.lines().filter(l -> !l.isBlank()).map(l -> l.split(",")).toList();
            double seconds = 0;
            List<Double> keyframes = new ArrayList<>();
            for (String[] packet : packets) {
                seconds += Double.parseDouble(packet[1]);
                if (packet[2].contains("K")) {
                    keyframes.add(Double.parseDouble(packet[0]));
                }
            }
            boolean first = !packets.isEmpty() && packets.get(0)[2].contains("K");
            return new SegmentProbe(name, extinf, packets.size(), seconds, first, keyframes);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * The playing time of a stream: the sum of its packets' durations. Packets without a duration
     * are the AAC encoder's priming, which the edit list drops from playback.
     */
    private double streamSeconds(Path file, String stream) throws IOException, InterruptedException {
        String csv = probe("-v", "error", "-select_streams", stream, "-show_packets", "-show_entries",
                "packet=duration_time", "-of", "csv=p=0", file.toString());
        double total = 0;
        for (String line : csv.lines().map(String::trim).filter(l -> !l.isEmpty()).toList()) {
            if (!line.startsWith("N/A")) {
                total += Double.parseDouble(line.split(",")[0]);
            }
        }
        return total;
    }

    private String probe(String... args) throws IOException, InterruptedException {
        Process p = tools.ffprobe(List.of(args)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !err.isBlank()) {
            throw new IllegalStateException("ffprobe " + String.join(" ", args) + " failed: " + err);
        }
        return out;
    }

    private static String tag(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("playlist has no " + prefix));
    }

    private static List<Double> extinfs(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("#EXTINF:"))
                .map(l -> Double.parseDouble(l.substring(8, l.indexOf(',') < 0 ? l.length() : l.indexOf(','))))
                .toList();
    }

    /** For messages: the durations with 3 decimals. */
    public static String format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList().toString();
    }
}
