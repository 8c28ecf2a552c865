package ai.lipsync.tts;

import ai.lipsync.testing.TestAudio;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AudioSnifferTest {

    @Test
    void audioType_withGenericTypeAndMp3Bytes_recognisesMpeg() {
        byte[] mp3 = {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x44, 0, 0};
        assertThat(AudioSniffer.audioType("application/octet-stream", mp3)).hasValue("audio/mpeg");
        assertThat(AudioSniffer.audioType(null, "ID3\u0004".getBytes(StandardCharsets.ISO_8859_1))).hasValue("audio/mpeg");
    }

    @Test
    void audioType_withGenericTypeAndOggBytes_recognisesOgg() {
        assertThat(AudioSniffer.audioType("application/octet-stream", "OggS\0\2".getBytes(StandardCharsets.ISO_8859_1)))
                .hasValue("audio/ogg");
    }

    @Test
    void audioType_withGenericTypeAndText_isNotAudio() {
        assertThat(AudioSniffer.audioType("application/octet-stream", "{\"error\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @Test
    void audioType_withDeclaredAudioType_trustsItAndDropsParameters() {
        assertThat(AudioSniffer.audioType("Audio/MPEG; charset=x", new byte[]{1, 2})).hasValue("audio/mpeg");
    }

    @Test
    void audioType_withGenericTypeAndAdtsBytes_recognisesAacNotMpeg() {
        byte[] adtsMpeg4 = {(byte) 0xFF, (byte) 0xF1, 0x50, (byte) 0x80, 0x02, 0x1F, (byte) 0xFC};
        byte[] adtsMpeg2 = {(byte) 0xFF, (byte) 0xF9, 0x50, (byte) 0x80, 0x02, 0x1F, (byte) 0xFC};

        assertThat(AudioSniffer.audioType("application/octet-stream", adtsMpeg4)).hasValue("audio/aac");
        assertThat(AudioSniffer.audioType(null, adtsMpeg2)).hasValue("audio/aac");
    }

    @Test
    void audioType_withGenericTypeAndMpegLayer2Bytes_recognisesMpeg() {
        byte[] mp2 = {(byte) 0xFF, (byte) 0xFD, (byte) 0x90, 0x44};

        assertThat(AudioSniffer.audioType("binary/octet-stream", mp2)).hasValue("audio/mpeg");
    }

    @Test
    void isMp3_recognisesId3AndFrameSyncButNotAacOrWav() {
        assertThat(AudioSniffer.isMp3(new byte[] {'I', 'D', '3', 4})).isTrue();
        assertThat(AudioSniffer.isMp3(new byte[] {(byte) 0xFF, (byte) 0xFB, 0x50})).isTrue();
        assertThat(AudioSniffer.isMp3(new byte[] {(byte) 0xFF, (byte) 0xF1, 0x50})).as("ADTS AAC").isFalse();
        assertThat(AudioSniffer.isMp3(new byte[] {(byte) 0xFF, (byte) 0xFD, (byte) 0x90})).as("MPEG Layer II").isFalse();
        assertThat(AudioSniffer.isMp3(TestAudio.wav(TestAudio.speechLike(1.0, 0, 0, 16_000)))).isFalse();
    }
}
