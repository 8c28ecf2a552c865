package ai.lipsync.pipeline;

import ai.lipsync.session.GenerationJob;
import ai.lipsync.session.SessionStatus;
import ai.lipsync.testing.FakeSynthesizer;
import ai.lipsync.testing.TestAudio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Native grabbers, recorders and frames are closed: many generations leave no descriptors or threads behind. */
class PipelineResourceLeakTest {
    @TempDir
    Path temp;

    @Test
    void handle_twentyConsecutiveGenerations_leakNoFileDescriptorsOrThreads() throws Exception {
        PipelineFixture fixture = new PipelineFixture(temp);
        byte[] shortSpeech = TestAudio.wav(TestAudio.speechLike(0.9, 0.1, 0.2, 16_000));
        GenerationPipeline pipeline = fixture.pipeline(FakeSynthesizer.returning(shortSpeech, "audio/wav"));
        assertNoLeakAcross(20, () -> runOne(fixture, pipeline));
    }

    @Test
    void handle_tenGenerationsFailingMidStream_leakNoFileDescriptorsOrThreads() throws Exception {
        // The store refuses the second segment: the encoder is abandoned mid-stream and must still be released.
        PipelineFixture fixture = new PipelineFixture(temp, new ai.lipsync.session.InMemorySessionStore(),
                store -> new FailingStore(store, "segment_001.m4s"));
        byte[] speech = TestAudio.wav(TestAudio.speechLike(2.5, 0.1, 0.2, 16_000));
        GenerationPipeline pipeline = fixture.pipeline(FakeSynthesizer.returning(speech, "audio/wav"));
        assertNoLeakAcross(10, () -> runFailing(fixture, pipeline));
    }

    /**
     * Runs {@code generation} twice to warm up (class and native library loading, the encoder probe,
     * the avatar cache), then {@code runs} times; a leak of one descriptor or thread per generation
     * would add {@code runs}.
     */
    private void assertNoLeakAcross(int runs, Runnable generation) throws Exception {
        for (int i = 0; i < 2; i++) {
            generation.run();
        }
        System.gc();
        long fdsBefore = openFileDescriptors();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        for (int i = 0; i < runs; i++) {
            generation.run();
        }

        System.gc();
        long fdsAfter = openFileDescriptors();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        assertThat(fdsAfter).as("open file descriptors before %d, after %d", fdsBefore, fdsAfter)
                .isLessThanOrEqualTo(fdsBefore + 2);
        assertThat(threadsAfter).as("threads before %d, after %d", threadsBefore, threadsAfter)
                .isLessThanOrEqualTo(threadsBefore + 1);
        try (Stream<Path> work = Files.list(temp.resolve("work"))) {
            assertThat(work).as("work directories").isEmpty();
        }
    }

    private static void runFailing(PipelineFixture fixture, GenerationPipeline pipeline) {
        GenerationJob job = fixture.newJob("x", "default");
        pipeline.handle(job);
        assertThat(fixture.session(job.sessionId()).errorCode()).isEqualTo(ai.lipsync.session.ErrorCode.STORAGE_FAILED);
    }

    /** Refuses one file name, like a full disk or a lost bucket. */
    record FailingStore(ai.lipsync.storage.StreamStore delegate, String refused)
            implements ai.lipsync.storage.StreamStore {
        @Override
        public void put(String sessionId, ai.lipsync.storage.StreamFile file, byte[] content) throws IOException {
            if (file.name().equals(refused)) {
                throw new IOException("No space left on device");
            }
            delegate.put(sessionId, file, content);
        }

        @Override
        public java.util.Optional<StoredObject> get(String sessionId, ai.lipsync.storage.StreamFile file)
                throws IOException {
            return delegate.get(sessionId, file);
        }
    }

    private static void runOne(PipelineFixture fixture, GenerationPipeline pipeline) {
        GenerationJob job = fixture.newJob("x", "default");
        pipeline.handle(job);
        assertThat(fixture.session(job.sessionId()).status()).isEqualTo(SessionStatus.READY);
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
