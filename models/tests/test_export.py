"""The export CLI: graphs reload with torch.jit.load (as DJL does), reproduce the golden tensors and
their eager modules, carry a manifest that says what they are, and bad invocations fail clearly."""
import json

import pytest
import torch
from safetensors.torch import load_file

from conftest import golden_case, golden_root
from musetalk_models import export as ex
from musetalk_models.export import max_abs_diff

BATCH = 2


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    for case in ("unet", "vae", "whisper", "bisenet"):
        golden_case(case)
    out = tmp_path_factory.mktemp("graphs")
    assert ex.main(["--golden", str(golden_root()), "--out", str(out), "--batch", str(BATCH)]) == 0
    return out, json.loads((out / "manifest.json").read_text())


def _graph(exported, name):
    out, manifest = exported
    return torch.jit.load(str(out / manifest["graphs"][name]["file"])).eval()


def test_goldenExport_writesEveryGraphAndAManifestDescribingIt(exported):
    out, m = exported
    assert set(m["graphs"]) == {"unet", "vae_decode", "vae_encode", "whisper", "whisper_mel", "bisenet"}
    assert m["precision"] == "fp32" and m["batch"] == BATCH and m["torch_version"] == torch.__version__
    g = m["graphs"]
    unet = json.loads((golden_root() / "unet" / "musetalk.json").read_text())
    cin, cout, cross = unet["in_channels"], unet["out_channels"], unet["cross_attention_dim"]
    assert g["unet"]["inputs"] == [{"name": "latents", "shape": [BATCH, cin, 32, 32], "dtype": "float32"},
                                   {"name": "audio", "shape": [BATCH, 50, cross], "dtype": "float32"}]
    assert g["unet"]["outputs"] == [{"name": "pred_latents", "shape": [BATCH, cout, 32, 32], "dtype": "float32"}]
    assert g["vae_decode"]["outputs"][0] == {"name": "bgr", "shape": [BATCH, 256, 256, 3], "dtype": "uint8"}
    assert [i["dtype"] for i in g["vae_encode"]["inputs"]] == ["uint8", "float32"]
    assert g["whisper"]["inputs"][0] == {"name": "samples", "shape": [480000], "dtype": "float32"}
    assert g["whisper"]["outputs"][0]["shape"] == [1500, 5, 384]
    assert g["whisper_mel"]["outputs"][0]["shape"] == [80, 3000]
    assert g["bisenet"]["outputs"][0]["shape"] == [BATCH, 19, 512, 512]
    for name, entry in g.items():
        assert ex.sha256_of(out / entry["file"]) == entry["sha256"], name
        assert (out / entry["parity_file"]).is_file()
        for src in entry["sources"]:
            assert len(src["sha256"]) == 64 and src["size"] > 0
    assert any(s["name"] == "unet.pth" for s in g["unet"]["sources"])


def test_batchedGraphs_tracedAtTwo_runAtOtherBatchSizes(exported):
    _, m = exported
    for name in ("unet", "vae_decode", "vae_encode", "bisenet"):
        assert m["graphs"][name]["dynamic_batch"] is True, name
        assert [c["batch"] for c in m["graphs"][name]["batch_checks"]] == [1, 3]
    assert m["graphs"]["whisper"]["dynamic_batch"] is False  # one fixed 30 s segment, no batch axis


def test_exportedGraphs_holdNoDeviceConstants_soTheyRunWhereverTheyAreLoaded(exported):
    out, m = exported

    def code(mod):
        text = getattr(mod, "code", "") if hasattr(mod, "forward") else ""  # containers have no code
        for _, child in mod.named_children():
            text += code(child)
        return text

    for name, entry in m["graphs"].items():
        assert "torch.device(" not in code(torch.jit.load(str(out / entry["file"]))), name


@torch.no_grad()
def test_unetGraph_onGoldenCase_reproducesUnetOut(exported):
    c = load_file(str(golden_case("unet") / "case.safetensors"))
    out = _graph(exported, "unet")(c["latents"], c["audio_prompts"])  # the golden batch, traced at BATCH
    assert max_abs_diff(out, c["unet_out"]) <= 1e-3


@torch.no_grad()
def test_vaeGraphs_onGoldenCase_reproduceLatentsAndBgrBytes(exported):
    c = load_file(str(golden_case("vae") / "case.safetensors"))
    crops = c["crop_bgr_u8"].unsqueeze(0).repeat(2, 1, 1, 1)
    lat = _graph(exported, "vae_encode")(crops, torch.tensor([1.0, 0.0]))
    assert max_abs_diff(torch.cat([lat[0:1], lat[1:2]], dim=1), c["unet_input_latents_mean"]) <= 1e-3
    bgr = _graph(exported, "vae_decode")(c["decode_latents"])
    assert bgr.dtype == torch.uint8
    assert max_abs_diff(bgr, c["decoded_bgr_u8"]) <= 1


@torch.no_grad()
def test_whisperGraphs_onShortClip_reproduceMelAndHiddenStates(exported):
    c = load_file(str(golden_case("whisper") / "short.safetensors"))
    samples = torch.nn.functional.pad(c["samples"], (0, 480000 - c["samples"].shape[0]))
    assert max_abs_diff(_graph(exported, "whisper_mel")(samples), c["mel"][0]) <= 1e-3
    feats = _graph(exported, "whisper")(samples)
    hs = c["hidden_states"][0]
    cfg = json.loads((golden_case("whisper") / "config.json").read_text())
    assert feats.shape == (1500, cfg["encoder_layers"] + 1, cfg["d_model"])
    assert max_abs_diff(feats[:hs.shape[0]], hs) <= 1e-3


@torch.no_grad()
def test_whisperGraphs_withShortLastSegment_zeroPadInsideToTheReferenceOutput(exported):
    c = load_file(str(golden_case("whisper") / "short.safetensors"))
    s = c["samples"]
    between = (s.shape[0] + 480000) // 2  # a length between the clip's and the segment's
    pad = torch.nn.functional.pad
    for name in ("whisper", "whisper_mel"):
        graph = _graph(exported, name)
        full = graph(pad(s, (0, 480000 - s.shape[0])))
        assert torch.equal(graph(pad(s, (0, between - s.shape[0]))), full), name
        assert torch.equal(graph(s), full), name
    feats = _graph(exported, "whisper")(s)
    hs = c["hidden_states"][0]
    assert max_abs_diff(feats[:hs.shape[0]], hs) <= 1e-3


@torch.no_grad()
@pytest.mark.parametrize("name", ["whisper", "whisper_mel"])
def test_whisperGraphs_withMoreThan30s_fail(exported, name):
    with pytest.raises(RuntimeError, match="negative dimension"):
        _graph(exported, name)(torch.zeros(480001))


@torch.no_grad()
def test_bisenetGraph_onGoldenInput_reproducesLogits(exported):
    c = load_file(str(golden_case("bisenet") / "case.safetensors"))
    logits = _graph(exported, "bisenet")(c["input"])
    ref = c["logits"].float()
    assert ((logits - ref).abs() <= 1e-3 + ref.abs() * 2 ** -11).all()


@torch.no_grad()
def test_parityFiles_holdInputsAndOutputsTheGraphReproduces(exported):
    out, m = exported
    for name, entry in m["graphs"].items():
        if name == "bisenet":
            continue  # the slowest graph on CPU; export itself already compared it on these very inputs
        p = load_file(str(out / entry["parity_file"]))
        args = [p[i["name"]] for i in entry["inputs"]]
        expected = p[f"expected_{entry['outputs'][0]['name']}"]
        got = _graph(exported, name)(*args)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert max_abs_diff(got, expected) <= (1 if got.dtype == torch.uint8 else 1e-4), name


def test_fp16Export_takesAndReturnsHalfFloats_closeToFp32(tmp_path):
    d = golden_case("unet", "musetalk.json", "unet.safetensors", "case.safetensors")
    assert ex.main(["--unet-config", str(d / "musetalk.json"), "--unet-weights", str(d / "unet.safetensors"),
                    "--precision", "fp16", "--batch", "1", "--out", str(tmp_path)]) == 0
    m = json.loads((tmp_path / "manifest.json").read_text())
    assert set(m["graphs"]) == {"unet"} and m["precision"] == "fp16"
    assert [i["dtype"] for i in m["graphs"]["unet"]["inputs"]] == ["float16", "float16"]
    c = load_file(str(d / "case.safetensors"))
    with torch.no_grad():
        out = torch.jit.load(str(tmp_path / "unet.pt"))(c["latents"].half(), c["audio_prompts"].half())
    assert out.dtype == torch.float16
    assert max_abs_diff(out, c["unet_out"]) <= 2e-2 * c["unet_out"].abs().max().item()


def test_whisperSources_melGraphListsConfigsOnly_encoderGraphAddsWeights(exported):
    _, m = exported
    assert [s["role"] for s in m["graphs"]["whisper_mel"]["sources"]] == ["config", "preprocessor"]
    assert [s["role"] for s in m["graphs"]["whisper"]["sources"]] == ["config", "preprocessor", "weights"]


def test_whisperExport_withoutPreprocessorConfig_melSourcesHoldNoWeights(tmp_path):
    d = golden_case("whisper", "config.json", "model.safetensors")
    w = tmp_path / "whisper"
    w.mkdir()
    for name in ("config.json", "model.safetensors"):  # no preprocessor_config.json: default mel settings
        (w / name).write_bytes((d / name).read_bytes())
    assert ex.main(["--whisper-dir", str(w), "--out", str(tmp_path / "out")]) == 0
    g = json.loads((tmp_path / "out" / "manifest.json").read_text())["graphs"]
    assert [s["role"] for s in g["whisper_mel"]["sources"]] == ["config"]
    assert [s["name"] for s in g["whisper"]["sources"]] == ["config.json", "model.safetensors"]


def test_randomWeightsExport_needsOnlyConfigs_andRecordsIt(tmp_path):
    d = golden_case("vae", "config.json")
    assert ex.main(["--vae-config", str(d / "config.json"), "--random-weights", "--batch", "1", "--out", str(tmp_path)]) == 0
    m = json.loads((tmp_path / "manifest.json").read_text())
    assert m["random_weights"] is True and set(m["graphs"]) == {"vae_decode", "vae_encode"}
    assert [s["role"] for s in m["graphs"]["vae_decode"]["sources"]] == ["config"]


@pytest.mark.parametrize("argv, message", [
    (["--unet-config", "musetalk.json"], "--unet-config needs --unet-weights"),
    (["--vae-weights", "x.bin"], "--vae-weights needs --vae-config"),
    (["--random-weights", "--unet-config", "a.json", "--unet-weights", "b.pth"], "exclude each other"),
    (["--bisenet-weights", "/nonexistent/79999_iter.pth"], "file not found"),
    (["--golden", "/nonexistent/golden"], "not a directory"),
])
def test_cli_withIncompleteOrWrongArguments_failsWithMessage(tmp_path, capsys, argv, message):
    with pytest.raises(SystemExit) as e:
        ex.main(argv + ["--out", str(tmp_path)])
    assert e.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_withNothingToExport_failsWithMessage(tmp_path, capsys):
    assert ex.main(["--out", str(tmp_path)]) == 1
    assert "nothing to export" in capsys.readouterr().err


def test_cli_withWeightsThatDoNotFitTheConfig_failsNamingTheFile(tmp_path, capsys):
    u, v = golden_case("unet", "musetalk.json"), golden_case("vae", "vae.safetensors")
    assert ex.main(["--unet-config", str(u / "musetalk.json"), "--unet-weights", str(v / "vae.safetensors"),
                    "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "vae.safetensors: checkpoint does not match" in err and "missing" in err


def test_djlWithLibtorch271_loadsEveryGraphAndReproducesItsParityOutputs(exported):
    """What the Java service does: DJL 0.36 + libtorch 2.7.1 loads the torch-2.13 traces and matches Python."""
    import os
    import shutil
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "tools" / "djl_parity_check.sh"
    if shutil.which("java") is None:
        pytest.skip("djl parity: no java on PATH")
    out, _ = exported
    run = subprocess.run(["bash", str(script), str(out)], capture_output=True, text=True, timeout=600)
    if run.returncode == 3 and not os.environ.get("DJL_CLASSPATH"):
        pytest.skip(f"djl parity: DJL jars not in the local Maven repository: {run.stderr.strip()}")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count(" OK ") == 6, run.stdout
