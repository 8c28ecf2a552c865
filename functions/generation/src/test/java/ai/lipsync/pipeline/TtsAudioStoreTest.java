package ai.lipsync.pipeline;

import ai.lipsync.audio.AudioDecoder;
import ai.lipsync.audio.Mp3Encoder;
import ai.lipsync.audio.PcmAudio;
import ai.lipsync.session.SessionIds;
import ai.lipsync.testing.TestAudio;
import ai.lipsync.tts.AudioSniffer;
import ai.lipsync.tts.SynthesizedSpeech;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

class TtsAudioStoreTest {
    private static final PcmAudio SPEECH = TestAudio.speechLike(1.0, 0, 0, 16_000);

    @TempDir
    Path temp;

    private final SessionIds ids = SessionIds.create();

    @Test
    void save_mp3FromTheService_storesTheBytesAsTheyCame() {
        TtsAudioStore store = new TtsAudioStore(temp, Mp3Encoder.defaultEncoder());
        byte[] mp3 = TestAudio.mp3(SPEECH);
        String id = ids.next();

        Path saved = store.save(id, new SynthesizedSpeech(mp3, "audio/mpeg"), SPEECH);

        assertThat(saved).isEqualTo(temp.resolve(id).resolve("tts.mp3")).hasBinaryContent(mp3);
    }

    @Test
    void save_wavFromTheService_encodesAnMp3ThatDecodesToTheSpeech() throws Exception {
        TtsAudioStore store = new TtsAudioStore(temp, Mp3Encoder.defaultEncoder());
        byte[] wav = TestAudio.wav(SPEECH);
        String id = ids.next();

        Path saved = store.save(id, new SynthesizedSpeech(wav, "audio/mpeg"), SPEECH);

        byte[] stored = Files.readAllBytes(saved);
        assertThat(AudioSniffer.isMp3(stored)).isTrue();
        assertThat(new AudioDecoder().decode(stored).durationSeconds()).isCloseTo(1.0, offset(0.08));
        assertThat(Files.list(saved.getParent())).containsExactly(saved);
    }

    @Test
    void save_twoSessions_keepsTwoFiles() {
        TtsAudioStore store = new TtsAudioStore(temp, Mp3Encoder.defaultEncoder());
        byte[] mp3 = TestAudio.mp3(SPEECH);

        Path a = store.save(ids.next(), new SynthesizedSpeech(mp3, "audio/mpeg"), SPEECH);
        Path b = store.save(ids.next(), new SynthesizedSpeech(mp3, "audio/mpeg"), SPEECH);

        assertThat(a).isNotEqualTo(b).exists();
        assertThat(b).exists();
    }

    @Test
    void pathFor_aTraversalId_isRefused() {
        TtsAudioStore store = new TtsAudioStore(temp, Mp3Encoder.defaultEncoder());

        assertThatThrownBy(() -> store.pathFor("../../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void save_adtsAacFromTheService_encodesAnMp3InsteadOfStoringTheAac() throws Exception {
        TtsAudioStore store = new TtsAudioStore(temp, Mp3Encoder.defaultEncoder());
        byte[] adts = {(byte) 0xFF, (byte) 0xF1, 0x50, (byte) 0x80, 0x02, 0x1F, (byte) 0xFC};

        Path saved = store.save(ids.next(), new SynthesizedSpeech(adts, "audio/mpeg"), SPEECH);

        assertThat(AudioSniffer.isMp3(Files.readAllBytes(saved))).isTrue();
        assertThat(Files.readAllBytes(saved)).isNotEqualTo(adts);
    }
}
