"""The DWPose ONNX file in an export: the random-weights stand-in has the published signature and
runs; a given file is copied, checked and listed; a file with another signature is refused."""
import json

import numpy as np
import onnx
import pytest
from onnx.reference import ReferenceEvaluator

from conftest import golden_case
from musetalk_models import dwpose
from musetalk_models import export as ex
from musetalk_models.weights import sha256_of

SIGNATURE_IN = [{"name": "input", "shape": [1, 3, 384, 288], "dtype": "float32"}]
SIGNATURE_OUT = [{"name": "simcc_x", "shape": [1, 133, 576], "dtype": "float32"},
                 {"name": "simcc_y", "shape": [1, 133, 768], "dtype": "float32"}]


@pytest.fixture(scope="module")
def random_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("dwpose")
    assert ex.main(["--random-weights", "--out", str(out)]) == 0
    return out, json.loads((out / "manifest.json").read_text())


def test_randomWeightsExport_writesDwposeOnnxWithThePublishedSignature(random_export):
    out, m = random_export
    entry = m["onnx"]["dwpose"]
    assert entry["file"] == "dw-ll_ucoco_384.onnx" and entry["random_weights"] is True
    assert entry["inputs"] == SIGNATURE_IN and entry["outputs"] == SIGNATURE_OUT
    assert entry["sha256"] == sha256_of(out / entry["file"]) and entry["size"] == (out / entry["file"]).stat().st_size
    assert entry["face_keypoints"] == [23, 91] and entry["simcc_split_ratio"] == 2.0
    assert m["graphs"] == {}  # no configs given: only the ONNX file
    onnx.checker.check_model(str(out / entry["file"]), full_check=True)


def test_randomDwpose_runs_andItsOutputsFollowTheImage(random_export):
    out, _ = random_export
    ev = ReferenceEvaluator(onnx.load(str(out / "dw-ll_ucoco_384.onnx")))
    rng = np.random.default_rng(0)
    a = rng.normal(size=(1, 3, 384, 288)).astype(np.float32)
    b = np.flip(a, axis=3).copy() * 3
    sx_a, sy_a = ev.run(None, {"input": a})
    sx_b, _ = ev.run(None, {"input": b})
    assert sx_a.shape == (1, 133, 576) and sy_a.shape == (1, 133, 768)
    assert np.isfinite(sx_a).all() and np.isfinite(sy_a).all()
    assert sx_a.max(axis=2).min() > 0 and sy_a.max(axis=2).min() > 0  # no point decoded as invisible
    assert (sx_a.argmax(axis=2) != sx_b.argmax(axis=2)).any()  # the landmarks depend on the frame


def test_randomDwpose_isSeeded_soTwoExportsAreIdentical(tmp_path):
    a = dwpose.write_random_dwpose(tmp_path / "a")
    b = dwpose.write_random_dwpose(tmp_path / "b")
    assert a["sha256"] == b["sha256"]


def test_goldenExport_alsoWritesTheDwposeStandIn(tmp_path):
    g = golden_case("whisper", "config.json")
    # --golden with only the whisper net would be slow; the flag logic is what is checked here
    parser = ex.make_parser()
    args = parser.parse_args(["--golden", str(g.parent), "--out", str(tmp_path)])
    inp = ex.inputs_from_args(args, parser)
    assert inp.random_dwpose is True and inp.dwpose_onnx is None


def test_dwposeOnnxArgument_copiesTheFileAndListsItWithItsSource(tmp_path):
    src = tmp_path / "published" / "dw-ll_ucoco_384.onnx"
    src.parent.mkdir()
    onnx.save(dwpose.build_random_dwpose(seed=7), str(src))
    out = tmp_path / "out"
    assert ex.main(["--dwpose-onnx", str(src), "--out", str(out)]) == 0
    entry = json.loads((out / "manifest.json").read_text())["onnx"]["dwpose"]
    assert (out / "dw-ll_ucoco_384.onnx").read_bytes() == src.read_bytes()
    assert entry["random_weights"] is False and entry["sha256"] == sha256_of(src)
    assert entry["sources"][0]["sha256"] == sha256_of(src) and entry["inputs"] == SIGNATURE_IN


def test_dwposeOnnxArgument_withAnotherSignature_failsNamingTheFile(tmp_path, capsys):
    from onnx import TensorProto, helper

    g = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "other",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 256, 192])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 256, 192])])
    bad = tmp_path / "dw-ll_ucoco_384.onnx"
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]), str(bad))
    assert ex.main(["--dwpose-onnx", str(bad), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "not DWPose's signature" in err
    assert not (tmp_path / "out" / "dw-ll_ucoco_384.onnx").exists()


def test_dwposeOnnxArgument_withMissingFile_failsWithMessage(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        ex.main(["--dwpose-onnx", str(tmp_path / "absent.onnx"), "--out", str(tmp_path)])
    assert e.value.code == 2 and "file not found" in capsys.readouterr().err


def test_referenceKeypoints_followTheImage_andLieInsideThePaddedBox(tmp_path):
    from musetalk_models import dwpose_reference as ref

    path = tmp_path / "dw.onnx"
    onnx.save(dwpose.build_random_dwpose(), str(path))
    rng = np.random.default_rng(5)
    frame = rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)
    k, s = ref.keypoints(path, frame)
    c, sc = ref.center_scale(160, 120)
    assert k.shape == (133, 2) and (s > 0).all()
    assert (k[:, 0] >= c[0] - sc[0] / 2).all() and (k[:, 0] <= c[0] + sc[0] / 2).all()
    f = ref.flip_indices()
    assert (f[f] == np.arange(133)).all() and f[23] == 39 and f[91] == 112


def test_referenceWarp_ofAConstantFrame_isThatColourInside_andBlackOutside():
    from musetalk_models import dwpose_reference as ref

    frame = np.full((40, 100, 3), 77, dtype=np.uint8)
    c, s = ref.center_scale(100, 40)
    out = ref.warp(frame, c, s)
    assert out.shape == (384, 288, 3)
    assert (out[192, 144] == 77).all() and (out[10, 10] == 0).all()


def test_dwposeOnnx_withOtherTensorNamesButTheShapes_isAccepted_andListedUnderItsOwnNames(tmp_path):
    m = dwpose.build_random_dwpose()
    ren = {"input": "img", "simcc_x": "out_a", "simcc_y": "out_b"}
    for v in list(m.graph.input) + list(m.graph.output):
        v.name = ren.get(v.name, v.name)
    for n in m.graph.node:
        n.input[:] = [ren.get(i, i) for i in n.input]
        n.output[:] = [ren.get(o, o) for o in n.output]
    src = tmp_path / "renamed.onnx"
    onnx.save(m, str(src))
    entry = dwpose.copy_dwpose(src, tmp_path / "out")
    assert [t["name"] for t in entry["inputs"] + entry["outputs"]] == ["img", "out_a", "out_b"]

    from musetalk_models import dwpose_reference as ref
    k, _ = ref.keypoints(src, np.zeros((60, 80, 3), dtype=np.uint8))
    assert k.shape == (133, 2)
