"""DWPose (RTMPose-l whole-body, 133 keypoints) as the ONNX file the Java service runs.

The published file is `yzd-v/DWPose/dw-ll_ucoco_384.onnx` (Hugging Face). Its signature, as made by
mmdeploy's SimCC ONNX config (`output_names=['simcc_x', 'simcc_y']`, input name `input`) for the
288x384 whole-body model and as DWPose's own `onnxpose.py` feeds it:

    input    float32 [1, 3, 384, 288]   RGB, (x - mean) / std, mean 123.675,116.28,103.53, std 58.395,57.12,57.375
    simcc_x  float32 [1, 133, 576]      288 * simcc_split_ratio 2.0
    simcc_y  float32 [1, 133, 768]      384 * 2.0

Faces are whole-body keypoints 23..90 (iBUG-68 order). For tests, `write_random_dwpose` builds a
small seeded network with exactly this signature with the onnx package (no exporter needed): the
image is average-pooled to 12x9 cells, a 1x1 convolution makes 133 maps, their column/row means are
linearly interpolated to 576/768 bins and a seeded per-bin bias is added. Its outputs therefore
depend on the image (landmarks move with the frame) and its maxima are positive (so the SimCC decode
never marks a point invisible), which lets the Java preprocessing and decoding run for real.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .weights import sha256_of

FILE_NAME = "dw-ll_ucoco_384.onnx"
INPUT_NAME = "input"
INPUT_SHAPE = [1, 3, 384, 288]
OUTPUTS = [("simcc_x", [1, 133, 576]), ("simcc_y", [1, 133, 768])]
KEYPOINTS = 133
SPLIT_RATIO = 2.0
FACE_KEYPOINTS = [23, 91]  # python slice: keypoints[23:91] = the 68 iBUG face points
MEAN_RGB = [123.675, 116.28, 103.53]
STD_RGB = [58.395, 57.12, 57.375]
OPSET = 17
RANDOM_SEED = 1234
_POOL = 32  # 384x288 -> 12x9 cells


def _interp_matrix(n_in: int, n_out: int) -> np.ndarray:
    """[n_in, n_out] linear interpolation (align_corners style) so x @ M resamples the last axis."""
    m = np.zeros((n_in, n_out), dtype=np.float32)
    pos = np.linspace(0.0, n_in - 1, n_out)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n_in - 1)
    frac = (pos - lo).astype(np.float32)
    m[lo, np.arange(n_out)] += 1.0 - frac
    m[hi, np.arange(n_out)] += frac
    return m


def build_random_dwpose(seed: int = RANDOM_SEED):
    """An onnx.ModelProto with DWPose's exact input/output names, shapes and dtypes, seeded weights."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(seed)
    _, c, h, w = INPUT_SHAPE
    gh, gw = h // _POOL, w // _POOL
    (x_name, x_shape), (y_name, y_shape) = OUTPUTS
    inits = {
        "conv_w": rng.normal(0, 0.5, (KEYPOINTS, c, 1, 1)).astype(np.float32),
        "conv_b": rng.normal(0, 0.05, (KEYPOINTS,)).astype(np.float32),
        "interp_x": _interp_matrix(gw, x_shape[2]),
        "interp_y": _interp_matrix(gh, y_shape[2]),
        # + 10 keeps every maximum positive (|conv| < 10 for any normalised image: 3 inputs within
        # +-2.7, weights ~N(0, 0.5)); the SimCC decode marks points with a max <= 0 invisible
        "bias_x": (rng.normal(0, 0.025, (KEYPOINTS, x_shape[2])) + 10.0).astype(np.float32),
        "bias_y": (rng.normal(0, 0.025, (KEYPOINTS, y_shape[2])) + 10.0).astype(np.float32),
    }
    nodes = [
        helper.make_node("AveragePool", [INPUT_NAME], ["pooled"], kernel_shape=[_POOL, _POOL], strides=[_POOL, _POOL]),
        helper.make_node("Conv", ["pooled", "conv_w", "conv_b"], ["maps"]),  # [1,133,12,9]
        helper.make_node("ReduceMean", ["maps"], ["cols"], axes=[2], keepdims=0),  # [1,133,9]
        helper.make_node("ReduceMean", ["maps"], ["rows"], axes=[3], keepdims=0),  # [1,133,12]
        helper.make_node("MatMul", ["cols", "interp_x"], ["x_lin"]),
        helper.make_node("MatMul", ["rows", "interp_y"], ["y_lin"]),
        helper.make_node("Add", ["x_lin", "bias_x"], [x_name]),
        helper.make_node("Add", ["y_lin", "bias_y"], [y_name]),
    ]
    graph = helper.make_graph(
        nodes, "dwpose_random_signature",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, INPUT_SHAPE)],
        [helper.make_tensor_value_info(x_name, TensorProto.FLOAT, x_shape),
         helper.make_tensor_value_info(y_name, TensorProto.FLOAT, y_shape)],
        [numpy_helper.from_array(v, k) for k, v in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="musetalk_models.dwpose")
    model.ir_version = 8  # readable by every ONNX Runtime since 1.10
    model.doc_string = f"random weights (seed={seed}) with the signature of DWPose dw-ll_ucoco_384.onnx; tests only"
    onnx.checker.check_model(model, full_check=True)
    return model


def signature(path: Path) -> tuple[list[dict], list[dict]]:
    """(inputs, outputs) of an ONNX file as manifest tensor specs (dims that are not fixed -> -1)."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    names = {1: "float32", 10: "float16", 2: "uint8", 7: "int64"}
    init = {i.name for i in model.graph.initializer}

    def spec(v):
        t = v.type.tensor_type
        dims = [d.dim_value if d.HasField("dim_value") else -1 for d in t.shape.dim]
        return {"name": v.name, "shape": dims, "dtype": names.get(t.elem_type, str(t.elem_type))}

    return [spec(v) for v in model.graph.input if v.name not in init], [spec(v) for v in model.graph.output]


def check_signature(path: Path) -> None:
    """Raises ValueError naming the file when its inputs/outputs are not DWPose's: one float32 input
    [B,3,384,288] and two float32 outputs [B,133,576], [B,133,768] (x first). The names are mmdeploy's
    (`input`, `simcc_x`, `simcc_y`) in the stand-in; DWPose's own code feeds the first input and reads
    the outputs by position, so other names are accepted when the shapes fit."""
    inputs, outputs = signature(path)
    want_in = [{"name": INPUT_NAME, "shape": INPUT_SHAPE, "dtype": "float32"}]
    want_out = [{"name": n, "shape": s, "dtype": "float32"} for n, s in OUTPUTS]

    def fits(got, want):  # a dynamic batch axis (-1) is accepted
        return len(got) == len(want) and all(
            g["dtype"] == w["dtype"] and len(g["shape"]) == len(w["shape"])
            and all(a in (b, -1) for a, b in zip(g["shape"], w["shape"])) for g, w in zip(got, want))

    if not fits(inputs, want_in) or not fits(outputs, want_out):
        raise ValueError(f"{path}: not DWPose's signature: inputs {inputs}, outputs {outputs}; "
                         f"expected {want_in} -> {want_out}")


def manifest_entry(path: Path, random_weights: bool, source: Path | None = None) -> dict:
    check_signature(path)
    inputs, outputs = signature(path)
    entry = {
        "file": path.name, "sha256": sha256_of(path), "size": path.stat().st_size,
        "runtime": "onnxruntime", "inputs": inputs, "outputs": outputs,
        "keypoints": KEYPOINTS, "face_keypoints": FACE_KEYPOINTS, "simcc_split_ratio": SPLIT_RATIO,
        "mean_rgb": MEAN_RGB, "std_rgb": STD_RGB, "random_weights": random_weights,
        "semantics": "RTMPose-l whole-body (DWPose): whole frame as the person box, padding 1.25, "
                     "288x384 affine warp, RGB mean/std; SimCC argmax / split ratio; face = keypoints 23..90",
    }
    if source is not None:
        entry["sources"] = [{"role": "onnx", "path": str(source), "name": source.name,
                             "size": source.stat().st_size, "sha256": sha256_of(source)}]
    return entry


def write_random_dwpose(out: Path, seed: int = RANDOM_SEED) -> dict:
    """Writes `out/dw-ll_ucoco_384.onnx` with random weights; returns its manifest entry."""
    import onnx

    out.mkdir(parents=True, exist_ok=True)
    path = out / FILE_NAME
    onnx.save(build_random_dwpose(seed), str(path))
    return manifest_entry(path, random_weights=True)


def copy_dwpose(source: Path, out: Path) -> dict:
    """Copies a published DWPose ONNX file into `out` (checked first); returns its manifest entry."""
    import shutil

    check_signature(source)
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILE_NAME
    if source.resolve() != path.resolve():
        tmp = path.with_name(path.name + ".part")
        shutil.copyfile(source, tmp)
        tmp.replace(path)
    return manifest_entry(path, random_weights=False, source=source)
