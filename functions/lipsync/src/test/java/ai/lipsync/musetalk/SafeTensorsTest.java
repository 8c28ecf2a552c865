package ai.lipsync.musetalk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void read_decodesF32F16I64AndU8() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8 + 8 + 16 + 3).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(1.5f).putFloat(-2f);                                   // F32 [2]   0..8
        data.putShort((short) 0x3C00).putShort((short) 0xC000)               // F16 [2,2] 8..16
                .putShort((short) 0x3800).putShort((short) 0x0001);
        data.putLong(-7).putLong(1L << 40);                                  // I64 [2]   16..32
        data.put((byte) 0).put((byte) 200).put((byte) 255);                  // U8  [3]   32..35
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[8,16]},"
                + "\"i\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[16,32]},"
                + "\"u\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[32,35]}}";
        Path f = write(header, data.array());

        SafeTensors st = SafeTensors.read(f);
        assertThat(st.names()).containsExactly("a", "h", "i", "u");
        assertThat(st.metadata()).containsEntry("format", "pt");
        assertThat(st.get("a").floats()).containsExactly(1.5f, -2f);
        assertThat(st.get("h").shape()).containsExactly(2, 2);
        assertThat(st.get("h").floats()).containsExactly(1f, -2f, 0.5f, (float) Math.pow(2, -24));
        assertThat(st.get("i").longs()).containsExactly(-7L, 1L << 40);
        assertThat(st.get("u").bytes()).containsExactly(0, (byte) 200, (byte) 255);
        assertThat(st.get("u").floats()).containsExactly(0f, 200f, 255f);
    }

    @Test
    void get_unknownName_namesTheFileAndTheTensors() throws IOException {
        Path f = write("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);
        assertThatThrownBy(() -> SafeTensors.read(f).get("b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("'b'").hasMessageContaining("[a]");
    }

    @Test
    void read_tensorPastTheEnd_isRejected() throws IOException {
        Path f = write("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[4]);
        assertThatThrownBy(() -> SafeTensors.read(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("outside the file");
    }

    @Test
    void read_truncatedFile_isRejected() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafeTensors.read(f)).isInstanceOf(IOException.class).hasMessageContaining("too short");
    }

    @Test
    void halfToFloat_handlesInfinityAndNan() {
        assertThat(SafeTensors.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(SafeTensors.halfToFloat((short) 0xFC00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(SafeTensors.halfToFloat((short) 0x7E00)).isNaN();
        assertThat(SafeTensors.halfToFloat((short) 0x7BFF)).isEqualTo(65504f);
    }

    private Path write(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data);
        Path f = dir.resolve("t.safetensors");
        Files.write(f, out.toByteArray());
        return f;
    }
}
