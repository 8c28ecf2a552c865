package ai.lipsync.preparation;

/** An axis-aligned face rectangle in frame pixels (what a face detector reports). */
public record FaceBox(int x, int y, int width, int height) {

    public FaceBox {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty face box " + width + "x" + height);
        }
    }

    /** True when the whole box lies inside a {@code frameWidth x frameHeight} frame. */
    public boolean fitsIn(int frameWidth, int frameHeight) {
        return x >= 0 && y >= 0 && x + width <= frameWidth && y + height <= frameHeight;
    }

    /** Parses {@code "x,y,width,height"} (configuration syntax). */
    public static FaceBox parse(String text) {
        String[] parts = text.trim().split("\\s*,\\s*");
        if (parts.length != 4) {
            throw new IllegalArgumentException("a face box is x,y,width,height; got '" + text + "'");
        }
        try {
            return new FaceBox(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                    Integer.parseInt(parts[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a face box is four integers x,y,width,height; got '" + text + "'", e);
        }
    }
}
