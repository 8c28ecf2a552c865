package ai.lipsync.compose;

/**
 * A box by its corners in frame pixels, {@code [x1, y1, x2, y2)} as MuseTalk stores its face bbox
 * and crop box (exclusive right and bottom edges). A crop box may extend past the frame.
 */
public record PixelBox(int x1, int y1, int x2, int y2) {

    public PixelBox {
        if (x2 <= x1 || y2 <= y1) {
            throw new IllegalArgumentException("empty box [" + x1 + "," + y1 + "," + x2 + "," + y2 + "]");
        }
    }

    public int width() {
        return x2 - x1;
    }

    public int height() {
        return y2 - y1;
    }

    /**
     * MuseTalk's square crop box around a face box ({@code get_image_prepare_material}):
     * centre {@code ((x1+x2)//2, (y1+y2)//2)}, half side {@code s = int((max(w,h)//2)*expand)}.
     */
    public PixelBox squareCrop(double expand) {
        int xc = Math.floorDiv(x1 + x2, 2);
        int yc = Math.floorDiv(y1 + y2, 2);
        int s = (int) (Math.floorDiv(Math.max(width(), height()), 2) * expand);
        return new PixelBox(xc - s, yc - s, xc + s, yc + s);
    }
}
