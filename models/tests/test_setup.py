"""The one-command model setup against an offline mirror (file:// URLs) laid out like the published
files: the golden-size checkpoints re-saved under the published names, and a DWPose-signature ONNX."""
import json
import shutil

import onnx
import pytest
import torch
from safetensors.torch import load_file

from conftest import golden_case
from musetalk_models import download as dl
from musetalk_models import dwpose
from musetalk_models import setup as st
from musetalk_models.weights import sha256_of

ONNX_DEST = "dwpose/dw-ll_ucoco_384.onnx"


def _mirror(root, with_networks: bool):
    """Writes the mirror tree under root; returns the download manifest entries for it."""
    files = []

    def put(group, dest, write):
        p = root / dest
        p.parent.mkdir(parents=True, exist_ok=True)
        write(p)
        files.append({"group": group, "dest": dest, "url": f"https://example.invalid/{dest}", "size": None,
                      "sha256": None})

    if with_networks:
        u, v = golden_case("unet", "unet.pth", "musetalk.json"), golden_case("vae", "vae.safetensors", "config.json")
        w = golden_case("whisper", "model.safetensors", "config.json", "preprocessor_config.json")
        b = golden_case("bisenet", "bisenet.safetensors")
        put("unet", "musetalkV15/unet.pth", lambda p: shutil.copyfile(u / "unet.pth", p))
        put("unet", "musetalkV15/musetalk.json", lambda p: shutil.copyfile(u / "musetalk.json", p))
        put("vae", "sd-vae/config.json", lambda p: shutil.copyfile(v / "config.json", p))
        put("vae", "sd-vae/diffusion_pytorch_model.bin", lambda p: torch.save(load_file(str(v / "vae.safetensors")), p))
        put("whisper", "whisper/config.json", lambda p: shutil.copyfile(w / "config.json", p))
        put("whisper", "whisper/preprocessor_config.json", lambda p: shutil.copyfile(w / "preprocessor_config.json", p))
        put("whisper", "whisper/pytorch_model.bin", lambda p: torch.save(load_file(str(w / "model.safetensors")), p))
        put("bisenet", "face-parse-bisent/79999_iter.pth", lambda p: torch.save(load_file(str(b / "bisenet.safetensors")), p))
    put("dwpose", ONNX_DEST, lambda p: onnx.save(dwpose.build_random_dwpose(seed=11), str(p)))
    return files


@pytest.fixture(scope="module")
def full_setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("setup")
    root = base / "mirror"
    manifest = base / "download_manifest.json"
    manifest.write_text(json.dumps({"files": _mirror(root, with_networks=True)}))
    out = base / "models"
    rc = st.main(["--out", str(out), "--mirror", root.as_uri(), "--manifest", str(manifest), "--batch", "2"])
    return rc, root, out, manifest


def test_setup_downloadsVerifiesAndExportsEverything_intoOneManifest(full_setup):
    rc, root, out, _ = full_setup
    assert rc == 0
    m = json.loads((out / "manifest.json").read_text())
    assert set(m["graphs"]) == {"unet", "vae_decode", "vae_encode", "whisper", "whisper_mel", "bisenet"}
    assert m["random_weights"] is False
    entry = m["onnx"]["dwpose"]
    assert (out / entry["file"]).read_bytes() == (root / ONNX_DEST).read_bytes()
    assert entry["sha256"] == sha256_of(out / "dw-ll_ucoco_384.onnx")
    assert [o["name"] for o in entry["outputs"]] == ["simcc_x", "simcc_y"]
    for g in m["graphs"].values():
        assert sha256_of(out / g["file"]) == g["sha256"]
    weights = [s["path"] for s in m["graphs"]["unet"]["sources"]]
    assert str(out / "weights" / "musetalkV15" / "unet.pth") in weights
    lock = json.loads((out / "weights" / dl.LOCK_NAME).read_text())
    assert lock[ONNX_DEST]["sha256"] == sha256_of(root / ONNX_DEST)


def test_setup_rerun_withAFileChangedOnDisk_failsNamingItAgainstTheLock(full_setup, tmp_path, capsys):
    rc, root, out, manifest = full_setup
    assert rc == 0
    weights = tmp_path / "weights"
    shutil.copytree(out / "weights", weights)
    with open(weights / ONNX_DEST, "ab") as f:
        f.write(b"\0")
    assert st.main(["--out", str(tmp_path / "o"), "--weights", str(weights), "--mirror", root.as_uri(),
                    "--manifest", str(manifest), "--only", "dwpose"]) == 1
    err = capsys.readouterr().err
    assert "setup failed: download" in err and ONNX_DEST in err and dl.LOCK_NAME in err
    assert not (tmp_path / "o" / "manifest.json").exists()


def test_setup_dwposeOnly_copiesTheOnnx_andASecondRunFetchesNothing(tmp_path, capsys):
    root = tmp_path / "mirror"
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps({"files": _mirror(root, with_networks=False)}))
    out = tmp_path / "models"
    args = ["--out", str(out), "--mirror", root.as_uri(), "--manifest", str(manifest)]
    assert st.main(args) == 0
    assert "fetched  " + ONNX_DEST in capsys.readouterr().out
    m = json.loads((out / "manifest.json").read_text())
    assert m["graphs"] == {} and m["onnx"]["dwpose"]["random_weights"] is False
    assert st.main(args) == 0
    assert "already present, verified" in capsys.readouterr().out


def test_setup_withAnOnnxOfAnotherSignature_failsNamingTheFile(tmp_path, capsys):
    from onnx import TensorProto, helper

    root = tmp_path / "mirror"
    (root / "dwpose").mkdir(parents=True)
    g = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "other",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 256, 192])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 256, 192])])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]), str(root / ONNX_DEST))
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps({"files": [{"group": "dwpose", "dest": ONNX_DEST, "url": "u"}]}))
    assert st.main(["--out", str(tmp_path / "o"), "--mirror", root.as_uri(), "--manifest", str(manifest)]) == 1
    err = capsys.readouterr().err
    assert "setup failed: export" in err and "dw-ll_ucoco_384.onnx" in err and "not DWPose's signature" in err


def test_setup_withMirrorMissingAFile_failsNamingIt(tmp_path, capsys):
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps({"files": [{"group": "dwpose", "dest": ONNX_DEST, "url": "u"}]}))
    (tmp_path / "empty").mkdir()
    assert st.main(["--out", str(tmp_path / "o"), "--mirror", (tmp_path / "empty").as_uri(),
                    "--manifest", str(manifest)]) == 1
    err = capsys.readouterr().err
    assert "setup failed: download" in err and ONNX_DEST in err


def test_packagedManifest_listsThePublishedDwposeOnnx():
    specs = {s.dest: s for s in dl.read_manifest()}
    assert specs[ONNX_DEST].url == "https://huggingface.co/yzd-v/DWPose/resolve/main/dw-ll_ucoco_384.onnx"
    assert specs[ONNX_DEST].group == "dwpose"
    assert set(st.LAYOUT) == {s.group for s in specs.values()}


def test_setup_withUnknownGroup_exitsTwo(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        st.main(["--out", str(tmp_path), "--only", "s3fd"])
    assert e.value.code == 2 and "unknown groups" in capsys.readouterr().err
