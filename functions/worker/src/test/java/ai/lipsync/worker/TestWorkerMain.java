package ai.lipsync.worker;

import ai.lipsync.session.Language;
import ai.lipsync.storage.StreamFile;
import ai.lipsync.storage.StreamStore;
import ai.lipsync.testing.TestAudio;
import ai.lipsync.tts.SpeechSynthesizer;
import ai.lipsync.tts.SynthesizedSpeech;

import java.io.IOException;
import java.util.Optional;

/**
 * {@link WorkerMain} as the tests start it in a JVM of its own: the real wiring from the
 * environment, with a speech service that answers at once with {@code TEST_SPEECH_SECONDS} of
 * speech-like audio (no espeak-ng needed), and two test knobs:
 * <ul>
 * <li>{@code TEST_CRASH_ON}: a job whose text contains it halts the JVM mid-job, as a native crash would</li>
 * <li>{@code TEST_SEGMENT_PACE_MS}: a pause after each published media segment, so a job lasts long
 * enough to be killed or signalled mid-way (a GPU worker on a long answer)</li>
 * <li>{@code TEST_INFERENCE_FAILURES}: the engine fails this many jobs, one after the other, with
 * {@code inference_failed} (a GPU whose CUDA context broke), then renders again</li>
 * </ul>
 */
public final class TestWorkerMain {
    /** The exit status of a crashed worker. */
    static final int CRASH_STATUS = 134;

    private TestWorkerMain() {
    }

    public static void main(String[] args) {
        double seconds = Double.parseDouble(System.getenv().getOrDefault("TEST_SPEECH_SECONDS", "4"));
        String crashOn = System.getenv("TEST_CRASH_ON");
        long pace = Long.parseLong(System.getenv().getOrDefault("TEST_SEGMENT_PACE_MS", "0"));
        byte[] wav = TestAudio.wav(TestAudio.speechLike(seconds, 0.1, 0.1, 16000));
        int failures = Integer.parseInt(System.getenv().getOrDefault("TEST_INFERENCE_FAILURES", "0"));
        int status = WorkerMain.launch(System.getenv(), new WorkerMain.Overrides(
                configured -> new ScriptedSpeech(wav, crashOn),
                streams -> pace > 0 ? new PacedStreams(streams, pace) : streams,
                engine -> failures > 0 ? FailingEngine.failing(engine, failures) : engine));
        if (status != 0) {
            System.exit(status);
        }
    }

    private record ScriptedSpeech(byte[] wav, String crashOn) implements SpeechSynthesizer {
        @Override
        public SynthesizedSpeech synthesize(String text, Language lang) {
            if (crashOn != null && text.contains(crashOn)) {
                System.out.println("TEST: crashing on purpose");
                System.out.flush();
                Runtime.getRuntime().halt(CRASH_STATUS);
            }
            return new SynthesizedSpeech(wav, "audio/wav");
        }

        @Override
        public String name() {
            return "scripted";
        }
    }

    private record PacedStreams(StreamStore delegate, long pauseMillis) implements StreamStore {
        @Override
        public void put(String sessionId, StreamFile file, byte[] content) throws IOException {
            delegate.put(sessionId, file, content);
            if (file.name().startsWith("segment_")) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public Optional<StoredObject> get(String sessionId, StreamFile file) throws IOException {
            return delegate.get(sessionId, file);
        }
    }
}
