package ai.lipsync.compose;

/**
 * Pastes a generated 256x256 face back into its frame as MuseTalk's {@code get_image_blending}
 * does: the face is resized to the face box with {@code cv2.resize} (bilinear), pasted into the
 * crop box's pixels, and the crop box is blended into the frame through the blend mask
 * (musetalk-reference.md section 6). Outside the face box the crop box equals the frame, so the
 * mask's blur halo there changes nothing.
 */
public final class FaceCompositor {
    private final MaskBlender blender;

    public FaceCompositor(MaskBlender blender) {
        this.blender = blender;
    }

    /** @return a new frame; {@code frame} is not modified */
    public BgrImage compose(BgrImage frame, BgrImage generated, PixelBox faceBox, PixelBox cropBox, GrayImage mask) {
        BgrImage face = Resize.bilinear(generated, faceBox.width(), faceBox.height());
        BgrImage large = new BgrImage(cropBox.width(), cropBox.height(), new byte[cropBox.width() * cropBox.height() * 3]);
        copyInto(frame, large, cropBox.x1(), cropBox.y1());
        int fx = faceBox.x1() - cropBox.x1();
        int fy = faceBox.y1() - cropBox.y1();
        for (int y = 0; y < face.height(); y++) {
            int ty = y + fy;
            if (ty < 0 || ty >= large.height()) {
                continue;
            }
            for (int x = 0; x < face.width(); x++) {
                int tx = x + fx;
                if (tx >= 0 && tx < large.width()) {
                    System.arraycopy(face.data(), (y * face.width() + x) * 3, large.data(), (ty * large.width() + tx) * 3, 3);
                }
            }
        }
        BgrImage out = frame.copy();
        blender.blend(out, large, mask, cropBox.x1(), cropBox.y1());
        return out;
    }

    /** Copies the frame's pixels under {@code target} placed at (left, top); the rest stays black. */
    private static void copyInto(BgrImage frame, BgrImage target, int left, int top) {
        int x0 = Math.max(0, left);
        int x1 = Math.min(frame.width(), left + target.width());
        if (x1 <= x0) {
            return;
        }
        for (int y = Math.max(0, top); y < Math.min(frame.height(), top + target.height()); y++) {
            System.arraycopy(frame.data(), (y * frame.width() + x0) * 3, target.data(),
                    ((y - top) * target.width() + (x0 - left)) * 3, (x1 - x0) * 3);
        }
    }
}
