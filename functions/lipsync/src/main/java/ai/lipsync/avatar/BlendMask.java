package ai.lipsync.avatar;

import ai.lipsync.compose.PixelBox;
import ai.lipsync.compose.GrayImage;

/** A frame's blurred blend mask, covering the square {@code cropBox} (mask size = box size). */
public record BlendMask(GrayImage mask, PixelBox cropBox) {

    public BlendMask {
        if (mask.width() != cropBox.width() || mask.height() != cropBox.height()) {
            throw new IllegalArgumentException("mask " + mask.width() + "x" + mask.height() + " does not cover crop box "
                    + cropBox);
        }
    }
}
