package ai.lipsync.compose;

import java.util.Objects;

/** An 8-bit single-channel image (masks, label maps), rows top to bottom. */
public record GrayImage(int width, int height, byte[] data) {

    public GrayImage {
        Objects.requireNonNull(data, "data");
        if (width <= 0 || height <= 0 || data.length != width * height) {
            throw new IllegalArgumentException(
                    "gray image " + width + "x" + height + " needs " + (width * height) + " bytes, got "
                            + data.length);
        }
    }

    public static GrayImage blank(int width, int height) {
        return new GrayImage(width, height, new byte[width * height]);
    }

    public int at(int x, int y) {
        return data[y * width + x] & 0xFF;
    }
}
