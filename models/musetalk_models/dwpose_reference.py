"""An independent numpy re-statement of mmpose's DWPose top-down inference, for checking the Java
landmarker (`ai.lipsync.avatar.landmarks.DwPoseLandmarker`) on the same ONNX file and frame.

    python3 -m musetalk_models.dwpose_reference --onnx dw-ll_ucoco_384.onnx --frame F.bgr --width W --height H
        [--no-flip] --out keypoints.json

The frame is raw 8-bit BGR (H*W*3 bytes). Steps, as mmpose 1.1's `inference_topdown` with no boxes:
whole frame [0,0,W,H] -> centre/scale x1.25 -> aspect fix to 288:384 -> warp (bilinear, black
border; here in float, OpenCV rounds its interpolation weights to 1/32 px) -> BGR->RGB, (x-mean)/std
-> ONNX (onnx.reference, no onnxruntime needed) -> with the flip test the mirrored input too,
x vectors re-paired and reversed, averaged -> SimCC argmax / 2 -> back to the frame.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from .dwpose import INPUT_SHAPE, MEAN_RGB, SPLIT_RATIO, STD_RGB

_FACE_PAIRS = [(0, 16), (1, 15), (2, 14), (3, 13), (4, 12), (5, 11), (6, 10), (7, 9), (17, 26), (18, 25), (19, 24),
               (20, 23), (21, 22), (31, 35), (32, 34), (36, 45), (37, 44), (38, 43), (39, 42), (40, 47), (41, 46),
               (48, 54), (49, 53), (50, 52), (55, 59), (56, 58), (60, 64), (61, 63), (65, 67)]


def flip_indices() -> np.ndarray:
    """COCO-WholeBody's swap table (133 entries)."""
    f = np.arange(133)
    pairs = [(i, i + 1) for i in range(1, 17, 2)] + [(17 + i, 20 + i) for i in range(3)]
    pairs += [(23 + a, 23 + b) for a, b in _FACE_PAIRS] + [(91 + i, 112 + i) for i in range(21)]
    for a, b in pairs:
        f[a], f[b] = b, a
    return f


def center_scale(w: int, h: int, padding: float = 1.25) -> tuple[np.ndarray, np.ndarray]:
    center = np.array([w, h], dtype=np.float64) * 0.5
    scale = np.array([w, h], dtype=np.float64) * padding
    in_w, in_h = INPUT_SHAPE[3], INPUT_SHAPE[2]
    aspect = in_w / in_h
    if scale[0] > scale[1] * aspect:
        scale[1] = scale[0] / aspect
    else:
        scale[0] = scale[1] * aspect
    return center, scale


def warp(bgr: np.ndarray, center: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Bilinear inverse-map warp to 288x384 (float32 HWC), zeros outside the frame."""
    in_w, in_h = INPUT_SHAPE[3], INPUT_SHAPE[2]
    s = in_w / scale[0]
    u, v = np.meshgrid(np.arange(in_w), np.arange(in_h))
    x = (u - (in_w * 0.5 - s * center[0])) / s
    y = (v - (in_h * 0.5 - s * center[1])) / s
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = (x - x0)[..., None], (y - y0)[..., None]
    h, w = bgr.shape[:2]
    padded = np.zeros((h + 2, w + 2, 3), dtype=np.float64)
    padded[1:-1, 1:-1] = bgr

    def at(yy, xx):
        return padded[np.clip(yy + 1, 0, h + 1), np.clip(xx + 1, 0, w + 1)]

    out = (at(y0, x0) * (1 - fx) * (1 - fy) + at(y0, x0 + 1) * fx * (1 - fy)
           + at(y0 + 1, x0) * (1 - fx) * fy + at(y0 + 1, x0 + 1) * fx * fy)
    return np.clip(np.rint(out), 0, 255).astype(np.float32)


def keypoints(onnx_path: Path, bgr: np.ndarray, flip_test: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(133x2 frame coordinates, 133 scores)."""
    import onnx
    from onnx.reference import ReferenceEvaluator

    model = onnx.load(str(onnx_path))
    ev = ReferenceEvaluator(model)
    init = {i.name for i in model.graph.initializer}
    name = next(v.name for v in model.graph.input if v.name not in init)  # DWPose's code feeds the first input
    h, w = bgr.shape[:2]
    center, scale = center_scale(w, h)
    rgb = warp(bgr, center, scale)[..., ::-1]
    x = ((rgb - np.array(MEAN_RGB, dtype=np.float32)) / np.array(STD_RGB, dtype=np.float32)).transpose(2, 0, 1)
    x = x[None].astype(np.float32)
    sx, sy = ev.run(None, {name: x})
    if flip_test:
        fx, fy = ev.run(None, {name: np.ascontiguousarray(x[..., ::-1])})
        f = flip_indices()
        sx = (sx + fx[:, f][..., ::-1]) * 0.5
        sy = (sy + fy[:, f]) * 0.5
    ix, iy = sx[0].argmax(axis=1), sy[0].argmax(axis=1)
    score = np.minimum(sx[0].max(axis=1), sy[0].max(axis=1))
    locs = np.stack([ix, iy], axis=1).astype(np.float64)
    locs[score <= 0] = -1
    locs /= SPLIT_RATIO
    in_size = np.array([INPUT_SHAPE[3], INPUT_SHAPE[2]], dtype=np.float64)
    return locs / in_size * scale + center - scale / 2, score


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m musetalk_models.dwpose_reference", description=__doc__.split("\n\n")[0])
    p.add_argument("--onnx", required=True)
    p.add_argument("--frame", required=True, help="raw BGR bytes, H*W*3")
    p.add_argument("--width", type=int, required=True)
    p.add_argument("--height", type=int, required=True)
    p.add_argument("--no-flip", action="store_true")
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    raw = np.fromfile(a.frame, dtype=np.uint8)
    if raw.size != a.width * a.height * 3:
        p.error(f"{a.frame}: {raw.size} bytes, expected {a.width}x{a.height}x3 = {a.width * a.height * 3}")
    kpts, scores = keypoints(Path(a.onnx), raw.reshape(a.height, a.width, 3), not a.no_flip)
    Path(a.out).write_text(json.dumps({"x": kpts[:, 0].tolist(), "y": kpts[:, 1].tolist(), "score": scores.tolist()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
