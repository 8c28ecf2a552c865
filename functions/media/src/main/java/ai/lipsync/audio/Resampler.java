package ai.lipsync.audio;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.nio.FloatBuffer;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set_chlayout;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set_int;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set_sample_fmt;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

/**
 * FFmpeg's resampler (libswresample with its default filter, as FFmpeg's own conversions use it) on
 * mono float PCM fed piece by piece: the output follows the input sample for sample in time, the filter's
 * delay is made up by {@link #flush}, so a copy resampled here keeps the timeline of its source.
 * Not thread-safe.
 */
final class Resampler implements AutoCloseable {
    private final SwrContext swr;
    private final int outRate;
    private FloatPointer in = new FloatPointer(0L);
    private FloatPointer out = new FloatPointer(0L);
    private boolean closed;

    Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
        }
        this.outRate = outRate;
        SwrContext context = swr_alloc();
        if (context == null || context.isNull()) {
            throw new IllegalStateException("FFmpeg could not allocate a resampler");
        }
        AVChannelLayout mono = new AVChannelLayout();
        try {
            av_channel_layout_default(mono, 1);
            check(av_opt_set_chlayout(context, "in_chlayout", mono, 0), "in_chlayout");
            check(av_opt_set_chlayout(context, "out_chlayout", mono, 0), "out_chlayout");
            check(av_opt_set_int(context, "in_sample_rate", inRate, 0), "in_sample_rate");
            check(av_opt_set_int(context, "out_sample_rate", outRate, 0), "out_sample_rate");
            check(av_opt_set_sample_fmt(context, "in_sample_fmt", AV_SAMPLE_FMT_FLT, 0), "in_sample_fmt");
            check(av_opt_set_sample_fmt(context, "out_sample_fmt", AV_SAMPLE_FMT_FLT, 0), "out_sample_fmt");
            check(swr_init(context), "swr_init");
        } catch (RuntimeException e) {
            free(context);
            throw e;
        } finally {
            av_channel_layout_uninit(mono);
            mono.close();
        }
        this.swr = context;
    }

    int outRate() {
        return outRate;
    }

    /** Resamples the buffer's remaining samples (its position is left as it was) and appends what comes out. */
    void push(FloatBuffer samples, SampleBuffer target) {
        int n = samples.remaining();
        if (n == 0) {
            return;
        }
        if (in.capacity() < n) {
            in.close();
            in = new FloatPointer((long) n);
        }
        in.position(0).limit(n).asBuffer().put(samples.duplicate());
        in.limit(in.capacity());
        convert(in, n, target);
    }

    /** Drains the samples the filter still holds: call once, after the last {@link #push}. */
    void flush(SampleBuffer target) {
        convert(null, 0, target);
    }

    private void convert(FloatPointer input, int n, SampleBuffer target) {
        if (closed) {
            throw new IllegalStateException("resampler closed");
        }
        int room = swr_get_out_samples(swr, n);
        check(room, "swr_get_out_samples");
        if (room == 0) {
            return;
        }
        if (out.capacity() < room) {
            out.close();
            out = new FloatPointer((long) room);
        }
        int produced;
        try (PointerPointer<FloatPointer> outPlanes = planes(out);
                PointerPointer<FloatPointer> inPlanes = input == null ? null : planes(input)) {
            produced = swr_convert(swr, outPlanes, room, inPlanes, n);
        }
        check(produced, "swr_convert");
        if (produced > 0) { // a limit of 0 would mean "to the capacity" to asBuffer()
            target.append(out.position(0).limit(produced).asBuffer());
            out.limit(out.capacity());
        }
    }

    private static void check(int result, String step) {
        if (result < 0) {
            throw new IllegalStateException("FFmpeg's resampler failed at " + step + " (error " + result + ")");
        }
    }

    /** The one plane of packed mono audio (not {@code new PointerPointer<>(p)}: that casts {@code p} itself). */
    private static PointerPointer<FloatPointer> planes(FloatPointer samples) {
        return new PointerPointer<FloatPointer>(1L).put(0, samples);
    }

    private static void free(SwrContext context) {
        try (PointerPointer<SwrContext> holder = new PointerPointer<SwrContext>(1L).put(0, context)) {
            swr_free(holder);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        free(swr);
        in.close();
        out.close();
    }
}
