package ai.lipsync.musetalk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A reader for the {@code .safetensors} format: an 8-byte little-endian header length, a JSON header
 * ({@code name -> {dtype, shape, data_offsets}}), then raw little-endian data. Supports F32, F16,
 * I64, I32 and U8 (what the golden tensors and cached avatar latents use); no pickles, no bf16.
 */
public final class SafeTensors {

    /** One tensor: its dtype name as in the header, its shape, and its raw little-endian bytes. */
    public record Tensor(String name, String dtype, long[] shape, ByteBuffer raw) {

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        public int[] intShape() {
            return Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
        }

        /** Values as float (F32 as is, F16 widened, integer types converted). */
        public float[] floats() {
            int n = Math.toIntExact(elementCount());
            float[] out = new float[n];
            ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            switch (dtype) {
                case "F32" -> b.asFloatBuffer().get(out);
                case "F16" -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = halfToFloat(b.getShort(i * 2));
                    }
                }
                case "I64" -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = b.getLong(i * 8);
                    }
                }
                case "I32" -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = b.getInt(i * 4);
                    }
                }
                case "U8" -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = b.get(i) & 0xFF;
                    }
                }
                default -> throw new IllegalStateException("tensor " + name + ": unsupported dtype " + dtype);
            }
            return out;
        }

        /** Integer values (I64, I32, U8). */
        public long[] longs() {
            int n = Math.toIntExact(elementCount());
            long[] out = new long[n];
            ByteBuffer b = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                out[i] = switch (dtype) {
                    case "I64" -> b.getLong(i * 8);
                    case "I32" -> b.getInt(i * 4);
                    case "U8" -> b.get(i) & 0xFF;
                    default -> throw new IllegalStateException("tensor " + name + ": " + dtype + " is not an integer type");
                };
            }
            return out;
        }

        /** The raw bytes of a U8 tensor. */
        public byte[] bytes() {
            if (!dtype.equals("U8")) {
                throw new IllegalStateException("tensor " + name + " is " + dtype + ", not U8");
            }
            byte[] out = new byte[raw.remaining()];
            raw.duplicate().get(out);
            return out;
        }
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant / 16_777_216f; // mant * 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.file = file;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Reads (memory-maps) a whole file. */
    public static SafeTensors read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(file + ": too short for a safetensors file (" + size + " bytes)");
            }
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
            long headerLen = all.getLong(0);
            if (headerLen <= 0 || 8 + headerLen > size) {
                throw new IOException(file + ": bad safetensors header length " + headerLen);
            }
            byte[] header = new byte[(int) headerLen];
            all.get(8, header);
            JsonNode root = JSON.readTree(new String(header, StandardCharsets.UTF_8));
            long dataStart = 8 + headerLen;
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode t = e.getValue();
                long[] shape = new long[t.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = t.get("shape").get(i).asLong();
                }
                long begin = t.get("data_offsets").get(0).asLong();
                long end = t.get("data_offsets").get(1).asLong();
                if (begin < 0 || end < begin || dataStart + end > size) {
                    throw new IOException(file + ": tensor " + e.getKey() + " has offsets outside the file");
                }
                ByteBuffer raw = all.slice((int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                tensors.put(e.getKey(), new Tensor(e.getKey(), t.get("dtype").asText(), shape, raw));
            }
            return new SafeTensors(file, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
        }
    }

    /** A float32 tensor to write. */
    public record FloatTensor(String name, long[] shape, float[] data) {
        public FloatTensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " needs "
                        + n + " floats, got " + data.length);
            }
        }
    }

    /**
     * The bytes of a safetensors file holding {@code tensors} as F32 (little-endian, in order) and
     * the string {@code metadata}; readable by {@link #read}, Python's {@code safetensors} and DJL.
     */
    public static byte[] encode(java.util.List<FloatTensor> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (FloatTensor t : tensors) {
            long end = offset + 4L * t.data().length;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", t.shape());
            entry.put("data_offsets", new long[] {offset, end});
            header.put(t.name(), entry);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("safetensors header of plain values", e);
        }
        // The format pads the header with spaces so the data starts 8-byte aligned.
        int pad = (int) ((8 - (json.length % 8)) % 8);
        int headerLen = json.length + pad;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + headerLen + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(headerLen).put(json);
        for (int i = 0; i < pad; i++) {
            out.put((byte) ' ');
        }
        for (FloatTensor t : tensors) {
            out.asFloatBuffer().put(t.data());
            out.position(out.position() + 4 * t.data().length);
        }
        return out.array();
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The named tensor; a clear error naming the file when it is absent. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + " has no tensor '" + name + "' (has " + tensors.keySet() + ")");
        }
        return t;
    }
}
