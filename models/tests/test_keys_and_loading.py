"""Full-size architectures have exactly the published key sets; the loader is strict and says why."""
import json

import pytest
import torch

from conftest import golden_case
from musetalk_models.bisenet import BiSeNet, load_bisenet
from musetalk_models.unet import UNet2DConditionModel, UNetConfig, load_unet
from musetalk_models.vae import DEPRECATED_ATTENTION_RENAMES, AutoencoderKL, VAEConfig, load_vae
from musetalk_models.weights import WeightLoadError, apply_renames, load_into, read_state_dict
from musetalk_models.whisper import load_whisper_encoder


def _shapes(module):
    return {k: list(v.shape) for k, v in module.state_dict().items()}


def _meta(factory):
    with torch.device("meta"):
        return factory()


def test_fullsizeUnet_onMetaDevice_hasExactlyThePublishedKeysAndShapes():
    d = golden_case("full-size", "musetalk.json", "unet-keys.json")
    model = _meta(lambda: UNet2DConditionModel(UNetConfig.from_json(d / "musetalk.json")))
    expected = json.loads((d / "unet-keys.json").read_text())
    assert _shapes(model) == expected
    assert len(expected) == 686


def test_fullsizeVae_onMetaDevice_hasExactlyThePublishedKeysAndShapes():
    d = golden_case("full-size", "sd-vae-config.json", "vae-keys.json")
    model = _meta(lambda: AutoencoderKL(VAEConfig.from_json(d / "sd-vae-config.json")))
    assert _shapes(model) == json.loads((d / "vae-keys.json").read_text())


def test_bisenet_onMetaDevice_hasExactlyThePublishedKeysAndShapes():
    d = golden_case("bisenet", "keys.json")
    assert _shapes(_meta(BiSeNet)) == json.loads((d / "keys.json").read_text())


def test_fullsizeUnet_usesEightHeads_asDiffusersReadsAttentionHeadDim():
    d = golden_case("full-size", "musetalk.json")
    model = _meta(lambda: UNet2DConditionModel(UNetConfig.from_json(d / "musetalk.json")))
    heads = {m.heads for n, m in model.named_modules() if n.endswith("attn1")}
    assert heads == {8}


def test_unetPth_torchSaveFormat_loadsTheSameWeightsAsSafetensors():
    d = golden_case("unet", "unet.pth", "unet.safetensors", "musetalk.json")
    a, b = read_state_dict(d / "unet.pth"), read_state_dict(d / "unet.safetensors")
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)
    load_unet(d / "musetalk.json", d / "unet.pth")


def test_loader_withMissingUnexpectedAndMisshapenKeys_namesFileAndKeys(tmp_path):
    d = golden_case("unet", "unet.safetensors", "musetalk.json")
    state = read_state_dict(d / "unet.safetensors")
    cout, cin = state["conv_out.weight"].shape[:2]  # (out_channels, block_out_channels[0], 3, 3)
    state.pop("conv_in.bias")
    state["conv_in.extra"] = torch.zeros(1)
    state["conv_out.weight"] = torch.zeros(cout, cin, 1, 1)
    bad = tmp_path / "broken_unet.pth"
    torch.save(state, bad)
    with pytest.raises(WeightLoadError) as e:
        load_unet(d / "musetalk.json", bad)
    msg = str(e.value)
    assert "broken_unet.pth" in msg
    assert "missing 1: conv_in.bias" in msg
    assert "unexpected 1: conv_in.extra" in msg
    assert f"conv_out.weight: checkpoint ({cout}, {cin}, 1, 1) vs model ({cout}, {cin}, 3, 3)" in msg


def test_loader_withPickleThatIsNotAStateDict_refusesWithFileName(tmp_path):
    bad = tmp_path / "list.pth"
    torch.save([torch.zeros(1)], bad)
    with pytest.raises(WeightLoadError, match="list.pth: expected a state dict"):
        read_state_dict(bad)


def test_loader_withMissingOrCorruptFile_saysSo(tmp_path):
    with pytest.raises(WeightLoadError, match="not found"):
        read_state_dict(tmp_path / "nope.bin")
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"not a safetensors file")
    with pytest.raises(WeightLoadError, match="junk.safetensors: not a readable"):
        read_state_dict(junk)


def test_unetConfig_withUnsupportedOption_refuses(tmp_path):
    d = golden_case("unet", "musetalk.json")
    raw = json.loads((d / "musetalk.json").read_text())
    raw["use_linear_projection"] = True
    with pytest.raises(ValueError, match="use_linear_projection"):
        UNetConfig.from_dict(raw)


def test_vae_withPre014AttentionNames_loadsByTheListedRenames(tmp_path):
    d = golden_case("vae", "vae.safetensors", "config.json")
    state = read_state_dict(d / "vae.safetensors")
    old = {}
    for k, v in state.items():
        for r in DEPRECATED_ATTENTION_RENAMES:
            k = k.replace(r.new, r.old)
        if ".mid_block.attentions.0.query.weight" in k:
            v = v[:, :, None, None]  # oldest checkpoints stored these as 1x1 convs
        old[k] = v
    assert any(".attentions.0.proj_attn." in k for k in old)
    path = tmp_path / "diffusion_pytorch_model.bin"
    torch.save(old, path)
    a, b = load_vae(d / "config.json", path), load_vae(d / "config.json", d / "vae.safetensors")
    for (ka, va), (kb, vb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert ka == kb and torch.equal(va, vb)


def test_whisper_withWhisperForConditionalGenerationKeys_loadsEncoderOnly(tmp_path):
    d = golden_case("whisper", "model.safetensors", "config.json")
    state = read_state_dict(d / "model.safetensors")
    prefixed = {f"model.{k}": v for k, v in state.items()}
    prefixed["proj_out.weight"] = state["decoder.embed_tokens.weight"]
    (tmp_path / "config.json").write_text((d / "config.json").read_text())
    torch.save(prefixed, tmp_path / "pytorch_model.bin")
    enc = load_whisper_encoder(tmp_path)
    assert torch.equal(enc.conv1.weight, state["encoder.conv1.weight"])
    prefixed.pop("model.encoder.layer_norm.weight")
    torch.save(prefixed, tmp_path / "pytorch_model.bin")
    with pytest.raises(WeightLoadError, match="missing 1: layer_norm.weight"):
        load_whisper_encoder(tmp_path)


def test_bisenet_fromTorchSavePickle_loads(tmp_path):
    d = golden_case("bisenet", "bisenet.safetensors")
    state = read_state_dict(d / "bisenet.safetensors")
    torch.save(state, tmp_path / "79999_iter.pth")
    net = load_bisenet(tmp_path / "79999_iter.pth")
    assert torch.equal(net.cp.resnet.conv1.weight, state["cp.resnet.conv1.weight"])


def test_vae_withAttentionWeightAs3x3Conv_isRejectedByTheShapeCheck(tmp_path):
    d = golden_case("vae", "vae.safetensors", "config.json")
    state = read_state_dict(d / "vae.safetensors")
    key = "encoder.mid_block.attentions.0.to_q.weight"
    c = state[key].shape[0]
    state[key] = torch.randn(c, c, 3, 3)  # not the 1x1 conv form of a Linear: must not be sliced to fit
    path = tmp_path / "conv3x3.bin"
    torch.save(state, path)
    with pytest.raises(WeightLoadError) as e:
        load_vae(d / "config.json", path)
    assert f"{key}: checkpoint ({c}, {c}, 3, 3) vs model ({c}, {c})" in str(e.value)
    assert "conv3x3.bin" in str(e.value)


def test_applyRenames_withOldAndNewNameOfTheSameWeight_failsNamingBothKeys():
    state = {"mid_block.attentions.0.query.weight": torch.zeros(2, 2),
             "mid_block.attentions.0.to_q.weight": torch.ones(2, 2)}
    with pytest.raises(WeightLoadError) as e:
        apply_renames(state, DEPRECATED_ATTENTION_RENAMES, source="both.bin")
    msg = str(e.value)
    assert msg.startswith("both.bin:")
    assert "'mid_block.attentions.0.query.weight'" in msg and "'mid_block.attentions.0.to_q.weight'" in msg


def test_vae_checkpointWithOldAndNewAttentionNames_isRejected(tmp_path):
    d = golden_case("vae", "vae.safetensors", "config.json")
    state = read_state_dict(d / "vae.safetensors")
    state["decoder.mid_block.attentions.0.key.weight"] = state["decoder.mid_block.attentions.0.to_k.weight"] * 2
    path = tmp_path / "mixed.bin"
    torch.save(state, path)
    with pytest.raises(WeightLoadError, match=r"mixed.bin: keys .*to_k.weight.* and .*attentions.0.key.weight"):
        load_vae(d / "config.json", path)


def test_whisper_withBothEncoderPrefixesForOneWeight_failsNamingBothKeys(tmp_path):
    d = golden_case("whisper", "model.safetensors", "config.json")
    state = read_state_dict(d / "model.safetensors")
    state["model.encoder.conv1.weight"] = state["encoder.conv1.weight"] + 1
    (tmp_path / "config.json").write_text((d / "config.json").read_text())
    torch.save(state, tmp_path / "pytorch_model.bin")
    with pytest.raises(WeightLoadError) as e:
        load_whisper_encoder(tmp_path)
    msg = str(e.value)
    assert "pytorch_model.bin" in msg
    assert "'encoder.conv1.weight'" in msg and "'model.encoder.conv1.weight'" in msg


@pytest.mark.parametrize("cls, raw, message", [
    (VAEConfig, {"_class_name": "UNet2DConditionModel"}, "_class_name 'UNet2DConditionModel' is not AutoencoderKL"),
    (VAEConfig, {"act_fn": "gelu"}, "act_fn 'gelu' is not supported"),
    (VAEConfig, {"down_block_types": ["AttnDownEncoderBlock2D"]}, "down block 'AttnDownEncoderBlock2D' is not supported"),
    (VAEConfig, {"up_block_types": ["AttnUpDecoderBlock2D"]}, "up block 'AttnUpDecoderBlock2D' is not supported"),
    (UNetConfig, {"_class_name": "AutoencoderKL"}, "_class_name 'AutoencoderKL' is not UNet2DConditionModel"),
    (UNetConfig, {"act_fn": "gelu"}, "act_fn 'gelu' is not supported"),
    (UNetConfig, {"up_block_types": ["AttnUpBlock2D"]}, "up block 'AttnUpBlock2D' is not supported"),
])
def test_configFromDict_withUnsupportedClassActivationOrBlock_refusesNamingIt(cls, raw, message):
    with pytest.raises(ValueError, match=f"^cfg.json: {message}"):
        cls.from_dict(raw, source="cfg.json")


def test_configFromDict_takesKnownFieldsAsTuples_andKeepsTheRestInExtra():
    v = VAEConfig.from_dict({"block_out_channels": [64, 128], "sample_size": 256})
    assert v.block_out_channels == (64, 128) and v.extra == {"sample_size": 256}
    u = UNetConfig.from_dict({"down_block_types": ["DownBlock2D"], "sample_size": 64})
    assert u.down_block_types == ("DownBlock2D",) and u.extra == {"sample_size": 64}
