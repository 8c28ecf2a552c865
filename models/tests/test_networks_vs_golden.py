"""Each eager module, loaded with the golden weights, reproduces the reference tensors (max abs <= 1e-3).
Shapes, counts and clip lengths come from the case files (any valid set), never from one set."""
import math

import pytest
import torch
from safetensors.torch import load_file

from conftest import golden_case
from musetalk_models.audio_windows import AUDIO_FPS, add_positional_encoding, frame_windows, num_frames
from musetalk_models.bisenet import load_bisenet
from musetalk_models.export import max_abs_diff
from musetalk_models.graphs import UNetStep, VaeDecode, VaeEncode
from musetalk_models.unet import load_unet
from musetalk_models.vae import load_vae
from musetalk_models.whisper import ENCODER_STEPS, SAMPLE_RATE, SEGMENT_SAMPLES, clip_features, load_whisper_features

TOL = 1e-3
GOLDEN_FPS = 25  # the golden set's video rate (its README: per-video-frame prompts at 25 fps)


@pytest.fixture(scope="module")
def unet_case():
    d = golden_case("unet", "musetalk.json", "unet.pth", "case.safetensors")
    return load_unet(d / "musetalk.json", d / "unet.pth"), load_file(str(d / "case.safetensors"))


@pytest.fixture(scope="module")
def vae_case():
    d = golden_case("vae", "config.json", "vae.safetensors", "case.safetensors")
    return load_vae(d / "config.json", d / "vae.safetensors"), load_file(str(d / "case.safetensors"))


@pytest.fixture(scope="module")
def whisper_model():
    d = golden_case("whisper", "config.json", "model.safetensors", "preprocessor_config.json")
    return load_whisper_features(d)


@torch.no_grad()
def test_unet_onGoldenLatentsAndAudio_reproducesUnetOut(unet_case):
    unet, c = unet_case
    out = unet(c["latents"], c["timestep"], c["audio_prompts_pe"])
    assert out.shape == c["unet_out"].shape and out.shape[0] == c["latents"].shape[0]
    assert max_abs_diff(out, c["unet_out"]) <= TOL


@torch.no_grad()
def test_unetStep_addsPositionalEncodingAndTimestepZeroInside(unet_case):
    unet, c = unet_case
    assert max_abs_diff(add_positional_encoding(c["audio_prompts"]), c["audio_prompts_pe"]) <= 1e-5
    out = UNetStep(unet).eval()(c["latents"], c["audio_prompts"])
    assert max_abs_diff(out, c["unet_out"]) <= TOL


@torch.no_grad()
def test_vae_encode_onGoldenInputs_reproducesPosteriorMeanAndLogvar(vae_case):
    vae, c = vae_case
    for which in ("masked", "reference"):
        mean, logvar = vae.encode(c[f"{which}_input"])
        assert max_abs_diff(mean, c[f"{which}_mean"]) <= TOL
        assert max_abs_diff(logvar, c[f"{which}_logvar"]) <= TOL


@torch.no_grad()
def test_vaeEncode_fromBgrCrop_masksLowerHalfAndReturnsScaledMeans(vae_case):
    vae, c = vae_case
    crops = c["crop_bgr_u8"].unsqueeze(0).repeat(2, 1, 1, 1)  # (2, 256, 256, 3)
    out = VaeEncode(vae).eval()(crops, torch.tensor([1.0, 0.0]))  # masked, reference
    got = torch.cat([out[0:1], out[1:2]], dim=1)  # (1, 8, 32, 32) as MuseTalk caches it
    assert max_abs_diff(got, c["unet_input_latents_mean"]) <= TOL


@torch.no_grad()
def test_vae_decode_onGoldenLatents_reproducesDecodedAndBgrBytes(vae_case):
    vae, c = vae_case
    decoded = vae.decode(c["decode_latents"] / 0.18215)
    assert max_abs_diff(decoded, c["decoded"]) <= TOL
    bgr = VaeDecode(vae).eval()(c["decode_latents"])
    n, _, h, w = c["decode_latents"].shape
    assert bgr.dtype == torch.uint8 and bgr.shape == c["decoded_bgr_u8"].shape == (n, 8 * h, 8 * w, 3)
    assert max_abs_diff(bgr, c["decoded_bgr_u8"]) <= 1


@torch.no_grad()
def test_bisenet_onGoldenInput_reproducesFloat16LogitsAndArgmax():
    d = golden_case("bisenet", "bisenet.safetensors", "case.safetensors")
    c = load_file(str(d / "case.safetensors"))
    logits = load_bisenet(d / "bisenet.safetensors")(c["input"])
    ref = c["logits"].float()
    # the golden logits were stored as float16: allow its rounding (half an ulp, 2^-11 relative) on top of 1e-3
    assert ((logits - ref).abs() <= TOL + ref.abs() * 2 ** -11).all()
    argmax = logits.argmax(1).to(torch.uint8)
    differ = argmax != c["argmax"]
    # ties: a pixel may differ only where the top two logits are within float32 noise; at most 1e-4 of pixels
    top2 = logits.topk(2, dim=1).values
    assert (top2[:, 0] - top2[:, 1])[differ].le(1e-4).all()
    assert differ.float().mean().item() <= 1e-4


@torch.no_grad()
@pytest.mark.parametrize("clip", ["short", "long"])
def test_whisper_mel_perSegment_reproducesFeatureExtractor(whisper_model, clip):
    d = golden_case("whisper", f"{clip}.safetensors")
    c = load_file(str(d / f"{clip}.safetensors"))
    s = c["samples"]
    n = SEGMENT_SAMPLES
    assert c["mel"].shape[0] == math.ceil(len(s) / n)
    for i in range(c["mel"].shape[0]):
        seg = torch.nn.functional.pad(s[i * n:(i + 1) * n], (0, max(0, (i + 1) * n - len(s))))
        assert max_abs_diff(whisper_model.mel(seg), c["mel"][i]) <= TOL


@torch.no_grad()
def test_logMel_withShortInput_padsInside_andRefusesLongerThan30s(whisper_model):
    c = load_file(str(golden_case("whisper", "short.safetensors") / "short.safetensors"))
    mel = whisper_model.mel
    assert torch.equal(mel(c["samples"]), mel(torch.nn.functional.pad(c["samples"], (0, 480000 - c["samples"].shape[0]))))
    with pytest.raises(ValueError, match="0 < L <= 480000"):
        mel(torch.zeros(480001))
    with pytest.raises(ValueError, match="got \\(1, 480000\\)"):
        mel(torch.zeros(1, 480000))


@torch.no_grad()
def test_whisper_short_hiddenStatesPromptsAndPe_matchReference(whisper_model):
    d = golden_case("whisper", "short.safetensors")
    c = load_file(str(d / "short.safetensors"))
    feats = clip_features(whisper_model, c["samples"])  # (1, 1500 * segments, 5, 384)
    hs = c["hidden_states"]
    n = int(c["num_samples"])
    assert n == len(c["samples"]) and hs.shape[1] == math.floor(n / SAMPLE_RATE * AUDIO_FPS)
    assert max_abs_diff(feats[:, :hs.shape[1]], hs) <= TOL
    prompts = frame_windows(feats, n, fps=GOLDEN_FPS)
    assert prompts.shape == c["prompts"].shape and prompts.shape[0] == num_frames(n, GOLDEN_FPS)
    assert max_abs_diff(prompts, c["prompts"]) <= TOL
    assert max_abs_diff(add_positional_encoding(prompts), c["prompts_pe"]) <= TOL


@torch.no_grad()
def test_whisper_long_acrossThe30sSeam_promptsAtIndexMatchReference(whisper_model):
    d = golden_case("whisper", "long.safetensors")
    c = load_file(str(d / "long.safetensors"))
    feats = clip_features(whisper_model, c["samples"])
    n = int(c["num_samples"])
    segments = c["mel"].shape[0]
    assert segments > 1 and segments == math.ceil(n / SEGMENT_SAMPLES)  # the clip crosses a 30 s seam
    assert feats.shape[1] == ENCODER_STEPS * segments
    prompts = frame_windows(feats, n, fps=GOLDEN_FPS)
    assert prompts.shape[0] == int(c["num_frames"]) == num_frames(n, GOLDEN_FPS)
    seam = SEGMENT_SAMPLES // SAMPLE_RATE * GOLDEN_FPS  # the first frame of the second segment
    assert (c["frame_index"] < seam).any() and (c["frame_index"] >= seam).any()
    assert max_abs_diff(prompts[c["frame_index"]], c["prompts_at_index"]) <= TOL


@torch.no_grad()
def test_transformersWhisperEncoder_hiddenStatesSemantics_matchGoldenAsDocumented(whisper_model):
    """The installed transformers' own output_hidden_states must mean [emb, l1, l2, l3, LN(l4)]."""
    d = golden_case("whisper", "short.safetensors")
    c = load_file(str(d / "short.safetensors"))
    enc = whisper_model.stacked.encoder
    mel = c["mel"]
    out = enc(mel, output_hidden_states=True)
    hs = out.hidden_states
    assert len(hs) == 5
    stacked = torch.stack(hs, dim=2)[:, :c["hidden_states"].shape[1]]
    assert max_abs_diff(stacked, c["hidden_states"]) <= TOL
    assert max_abs_diff(hs[4], out.last_hidden_state) == 0.0
