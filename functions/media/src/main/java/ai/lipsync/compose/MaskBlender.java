package ai.lipsync.compose;

/**
 * Pastes a generated patch into a frame through an alpha mask: per pixel
 * {@code out = orig + m/255 * (gen - orig)}, with PIL's 8-bit rounding (MuseTalk blends with
 * {@code Image.paste(..., mask)}; musetalk-reference.md section 6).
 */
public final class MaskBlender {

    /**
     * Blends {@code patch} into {@code frame} in place.
     *
     * @param frame the full frame, modified in place
     * @param patch the generated pixels, same size as {@code mask}
     * @param mask alpha 0..255, same size as {@code patch}
     * @param left frame x of the patch's left column (may be negative: outside parts are ignored)
     * @param top frame y of the patch's top row (may be negative)
     */
    public void blend(BgrImage frame, BgrImage patch, GrayImage mask, int left, int top) {
        if (patch.width() != mask.width() || patch.height() != mask.height()) {
            throw new IllegalArgumentException("patch " + patch.width() + "x" + patch.height()
                    + " and mask " + mask.width() + "x" + mask.height() + " differ in size");
        }
        byte[] out = frame.data();
        byte[] gen = patch.data();
        byte[] alpha = mask.data();
        int x0 = Math.max(0, left);
        int y0 = Math.max(0, top);
        int x1 = Math.min(frame.width(), left + patch.width());
        int y1 = Math.min(frame.height(), top + patch.height());
        for (int y = y0; y < y1; y++) {
            int py = y - top;
            for (int x = x0; x < x1; x++) {
                int px = x - left;
                int a = alpha[py * mask.width() + px] & 0xFF;
                if (a == 0) {
                    continue;
                }
                int fi = (y * frame.width() + x) * 3;
                int pi = (py * patch.width() + px) * 3;
                for (int c = 0; c < 3; c++) {
                    out[fi + c] = (byte) blendChannel(out[fi + c] & 0xFF, gen[pi + c] & 0xFF, a);
                }
            }
        }
    }

    /** PIL's BLEND: {@code tmp = gen*a + orig*(255-a) + 128; (tmp + (tmp >> 8)) >> 8}. */
    static int blendChannel(int orig, int gen, int alpha) {
        int tmp = gen * alpha + orig * (255 - alpha) + 128;
        return (tmp + (tmp >> 8)) >> 8;
    }
}
