package ai.lipsync.compose;

import java.util.Objects;

/**
 * An 8-bit BGR image, rows top to bottom, OpenCV's interleaved layout ({@code data.length == w*h*3}).
 * Plain heap memory, so frames can cross threads without native lifetimes.
 */
public record BgrImage(int width, int height, byte[] data) {

    public BgrImage {
        Objects.requireNonNull(data, "data");
        if (width <= 0 || height <= 0 || data.length != width * height * 3) {
            throw new IllegalArgumentException(
                    "BGR image " + width + "x" + height + " needs " + (width * height * 3) + " bytes, got "
                            + data.length);
        }
    }

    public static BgrImage blank(int width, int height) {
        return new BgrImage(width, height, new byte[width * height * 3]);
    }

    public BgrImage copy() {
        return new BgrImage(width, height, data.clone());
    }

    /** Channel value 0..255 at (x, y); channel 0 = blue. */
    public int at(int x, int y, int channel) {
        return data[(y * width + x) * 3 + channel] & 0xFF;
    }
}
