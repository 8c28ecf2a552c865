package ai.lipsync.tts;

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
}
