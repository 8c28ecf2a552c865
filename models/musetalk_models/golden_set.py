"""Writes a complete golden set in the layout of ../shared/golden/musetalk15 (its README lists the files)
from our own networks with seeded random weights, a frame of a face video and clips of a speech file.

    python -m musetalk_models.golden_set --out DIR [--seed N] [--short-seconds S] [--long-seconds L]
        [--face-frame K] [--bbox x1,y1,x2,y2] [--unet-widths 32,64,64,64] [--vae-widths 32,32,64,64]
        [--unet-batch 3] [--decode-batch 2] [--media DIR] [--published DIR]

The networks are ours (musetalk_models.unet/vae/bisenet, transformers' WhisperEncoder through
musetalk_models.whisper), proven equal to the reference on the shared set; only their channel widths,
seeds and inputs change, so every test that reads a set must pass on any set this writes. The image
operations follow musetalk-reference.md sections 4-6 with the libraries MuseTalk uses (OpenCV for
Lanczos crops, dilate/erode and the Gaussian blur, Pillow for the parsing resizes and the blend), so
this tool needs `requirements-golden.txt` (opencv-python-headless, pillow); CI does not.

full-size/ and bisenet/keys.json describe the published checkpoints, not a seed: they are copied from
`--published` (the shared set), and the random BiSeNet is checked against keys.json.
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import struct
import sys
import wave
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

from .audio_windows import add_positional_encoding, frame_windows, num_frames
from .bisenet import BiSeNet
from .graphs import VaeDecode
from .unet import UNet2DConditionModel, UNetConfig
from .vae import AutoencoderKL, VAEConfig
from .whisper import SAMPLE_RATE, SEGMENT_SAMPLES, clip_features, load_whisper_features

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
FPS = 25  # the set's video rate (its README: prompts at 25 fps)
MARGIN = 10  # v1.5 extra_margin below the face box
CHEEK_WIDTH, EXPAND, UPPER_RATIO = 90, 1.5, 0.5  # MuseTalk 1.5 realtime 'jaw' settings
SEAM_CONTEXT = 10  # frames each side of a 30 s seam in long.safetensors' frame_index
WHISPER_TINY_ENCODER = {  # whisper-tiny's encoder; the decoder is shrunk and unused
    "d_model": 384, "encoder_layers": 4, "encoder_attention_heads": 6, "encoder_ffn_dim": 1536,
    "num_mel_bins": 80, "max_source_positions": 1500, "decoder_layers": 1, "decoder_attention_heads": 6,
    "decoder_ffn_dim": 64, "max_target_positions": 16, "vocab_size": 64, "pad_token_id": 0,
    "bos_token_id": 1, "eos_token_id": 2, "decoder_start_token_id": 1, "begin_suppress_tokens": [220, 50256],
}
PREPROCESSOR = {"chunk_length": 30, "dither": 0.0, "feature_extractor_type": "WhisperFeatureExtractor",
                "feature_size": 80, "hop_length": 160, "n_fft": 400, "n_samples": SEGMENT_SAMPLES,
                "nb_max_frames": 3000, "padding_side": "right", "padding_value": 0.0,
                "return_attention_mask": False, "sampling_rate": SAMPLE_RATE}
# CelebAMask-HQ classes of the synthetic label map
SKIN, BROW_L, BROW_R, EYE_L, EYE_R, NOSE, MOUTH, UPPER_LIP, LOWER_LIP, NECK, HAIR = 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 17


def _imaging():
    try:
        import cv2
        from PIL import Image
    except ImportError as e:  # a developer tool: say what to install instead of a traceback
        raise SystemExit(f"golden_set needs models/requirements-golden.txt installed ({e.name} is missing)")
    return cv2, Image


def _perturb_(module: torch.nn.Module, g: torch.Generator) -> None:
    """Seeded non-trivial norms and biases (default init leaves them 1 and 0, which hides a swapped gamma/beta)."""
    with torch.no_grad():
        for name, t in list(module.named_parameters()) + list(module.named_buffers()):
            if not t.is_floating_point() or t.dim() != 1:
                continue
            noise = torch.randn(t.shape, generator=g)
            if name.endswith("running_var"):
                t.copy_(0.5 + torch.rand(t.shape, generator=g))
            elif name.endswith("weight"):
                t.copy_(1.0 + 0.1 * noise)
            elif name.endswith(("bias", "running_mean")):
                t.copy_(0.1 * noise)


def _random(factory, seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    module = factory()
    _perturb_(module, torch.Generator().manual_seed(seed + 1))
    return module.eval()


def _widths(text: str, groups: int, heads: int = 1) -> list[int]:
    widths = [int(w) for w in text.split(",")]
    if len(widths) != 4 or any(w <= 0 or w % groups or w % heads for w in widths):
        raise argparse.ArgumentTypeError(f"{text}: need 4 widths, each a multiple of {groups} and {heads}")
    return widths


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=1) + "\n")


def _save(tensors: dict[str, torch.Tensor], path: Path, metadata: dict | None = None) -> None:
    save_file({k: v.detach().contiguous() for k, v in tensors.items()}, str(path), metadata=metadata)


def _state(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


# ---------------------------------------------------------------------------------------------- audio

def read_pcm16_mono(path: Path) -> np.ndarray:
    """A 16 kHz mono PCM16 wav as float32 in [-1, 1] (what librosa.load(sr=16000) returns for it)."""
    with wave.open(str(path)) as w:
        if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (SAMPLE_RATE, 1, 2):
            raise SystemExit(f"{path}: need 16 kHz mono 16-bit PCM, got {w.getframerate()} Hz, "
                             f"{w.getnchannels()} channels, {8 * w.getsampwidth()} bit")
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return data.astype(np.float32) / 32768.0


def write_float_wav(path: Path, samples: np.ndarray) -> None:
    """IEEE-float 32-bit mono wav (format 3 with its fact chunk), as soundfile writes float clips."""
    data = samples.astype("<f4").tobytes()
    fmt = struct.pack("<HHIIHH", 3, 1, SAMPLE_RATE, SAMPLE_RATE * 4, 4, 32)
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"fact" + struct.pack("<II", 4, len(samples))
            + b"data" + struct.pack("<I", len(data)) + data)
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


def clip(speech: np.ndarray, start_s: float, seconds: float, what: str) -> torch.Tensor:
    a, n = int(round(start_s * SAMPLE_RATE)), int(round(seconds * SAMPLE_RATE))
    if a < 0 or n <= 0 or a + n > len(speech):
        raise SystemExit(f"{what} clip {start_s}+{seconds} s does not fit the {len(speech) / SAMPLE_RATE:.2f} s speech")
    return torch.from_numpy(speech[a:a + n].copy())


def seam_frames(total: int, segments: int) -> list[int]:
    """Frames around every 30 s seam, then the last frames, each once."""
    per_segment = SEGMENT_SAMPLES // SAMPLE_RATE * FPS
    picked = []
    for k in range(1, segments):
        picked += range(k * per_segment - SEAM_CONTEXT, min(total, k * per_segment + SEAM_CONTEXT))
    picked += range(max(0, total - SEAM_CONTEXT), total)
    return sorted(set(picked))


@torch.no_grad()
def whisper_case(out: Path, seed: int, speech: np.ndarray, short: tuple[float, float], long: tuple[float, float]):
    from transformers import WhisperConfig, WhisperModel

    d = out / "whisper"
    d.mkdir(parents=True)
    model = _random(lambda: WhisperModel(WhisperConfig(**WHISPER_TINY_ENCODER, architectures=["WhisperModel"])), seed)
    model.config.to_json_file(str(d / "config.json"))
    _save(_state(model), d / "model.safetensors", metadata={"format": "pt"})
    _write_json(d / "preprocessor_config.json", PREPROCESSOR)
    features = load_whisper_features(d)  # read back as every consumer reads it

    def segments_mel(samples):
        n = SEGMENT_SAMPLES
        return torch.stack([features.mel(samples[i:i + n]) for i in range(0, len(samples), n)])  # (S, 80, 3000)

    s = clip(speech, *short, "short")
    feats = clip_features(features, s)
    steps = int(math.floor(len(s) / SAMPLE_RATE * 50))
    short_prompts = frame_windows(feats, len(s), fps=FPS)
    write_float_wav(d / "short.wav", s.numpy())
    _save({"samples": s, "num_samples": torch.tensor([len(s)]), "mel": segments_mel(s),
               "hidden_states": feats[:, :steps], "prompts": short_prompts,
               "prompts_pe": add_positional_encoding(short_prompts)}, d / "short.safetensors")

    lg = clip(speech, *long, "long")
    mel = segments_mel(lg)
    if mel.shape[0] < 2:
        raise SystemExit(f"the long clip ({long[1]} s) must cross the 30 s seam")
    total = num_frames(len(lg), FPS)
    index = torch.tensor(seam_frames(total, mel.shape[0]))
    prompts = frame_windows(clip_features(features, lg), len(lg), fps=FPS)
    write_float_wav(d / "long.wav", lg.numpy())
    _save({"samples": lg, "num_samples": torch.tensor([len(lg)]), "mel": mel, "num_frames": torch.tensor([total]),
               "frame_index": index, "prompts_at_index": prompts[index]}, d / "long.safetensors")
    return short_prompts


# ---------------------------------------------------------------------------------------------- networks

@torch.no_grad()
def unet_case(out: Path, seed: int, widths: list[int], published: Path, prompts: torch.Tensor, batch: int) -> None:
    d = out / "unet"
    d.mkdir(parents=True)
    raw = json.loads((published / "full-size" / "musetalk.json").read_text())
    raw["block_out_channels"] = widths
    _write_json(d / "musetalk.json", raw)
    unet = _random(lambda: UNet2DConditionModel(UNetConfig.from_dict(raw, str(d / "musetalk.json"))), seed)
    state = _state(unet)
    _save(state, d / "unet.safetensors")
    torch.save(state, d / "unet.pth")  # the published unet.pth's format
    g = torch.Generator().manual_seed(seed + 2)
    latents = torch.randn(batch, unet.config.in_channels, 32, 32, generator=g)
    audio = prompts[torch.randperm(prompts.shape[0], generator=g)[:batch]]  # real per-frame prompts
    audio_pe = add_positional_encoding(audio)
    timestep = torch.zeros(1, dtype=torch.int64)
    _save({"latents": latents, "audio_prompts": audio, "audio_prompts_pe": audio_pe, "timestep": timestep,
               "unet_out": unet(latents, timestep, audio_pe)}, d / "case.safetensors")


@torch.no_grad()
def vae_case(out: Path, seed: int, widths: list[int], published: Path, crop_bgr: np.ndarray, decode_batch: int):
    cv2, _ = _imaging()
    d = out / "vae"
    d.mkdir(parents=True)
    raw = json.loads((published / "full-size" / "sd-vae-config.json").read_text())
    raw["block_out_channels"] = widths
    _write_json(d / "config.json", raw)
    vae = _random(lambda: AutoencoderKL(VAEConfig.from_dict(raw, str(d / "config.json"))), seed)
    _save(_state(vae), d / "vae.safetensors")
    cv2.imwrite(str(d / "crop.png"), crop_bgr)
    scale = float(vae.config.scaling_factor)
    rgb = torch.from_numpy(crop_bgr[:, :, ::-1].copy()).permute(2, 0, 1).float() / 255.0  # (3, 256, 256)
    reference = ((rgb - 0.5) / 0.5).unsqueeze(0)
    masked = reference.clone()
    masked[:, :, rgb.shape[1] // 2:, :] = -1.0  # lower half masked to -1, as MuseTalk
    m_mean, m_logvar = vae.encode(masked)
    r_mean, r_logvar = vae.encode(reference)
    g = torch.Generator().manual_seed(seed + 2)
    decode_latents = torch.randn(decode_batch, vae.config.latent_channels, 32, 32, generator=g)
    decoded = vae.decode(decode_latents / scale)
    decoded_bgr = VaeDecode(vae)(decode_latents)  # (n, 256, 256, 3) uint8
    _save({"crop_bgr_u8": torch.from_numpy(crop_bgr.copy()), "masked_input": masked, "reference_input": reference,
               "masked_mean": m_mean, "masked_logvar": m_logvar, "reference_mean": r_mean, "reference_logvar": r_logvar,
               "unet_input_latents_mean": torch.cat([m_mean * scale, r_mean * scale], dim=1),
               "decode_latents": decode_latents, "decoded": decoded,
               "decoded_bgr_u8": decoded_bgr}, d / "case.safetensors")
    return decoded_bgr[0].numpy()  # the blend case's stand-in for a generated face


@torch.no_grad()
def bisenet_case(out: Path, seed: int, published: Path, parsing_input_rgb: np.ndarray) -> None:
    d = out / "bisenet"
    d.mkdir(parents=True)
    net = _random(BiSeNet, seed)
    keys = json.loads((published / "bisenet" / "keys.json").read_text())
    mine = {k: list(v.shape) for k, v in net.state_dict().items()}
    if mine != keys:
        raise SystemExit(f"our BiSeNet's state dict differs from {published / 'bisenet' / 'keys.json'}")
    shutil.copyfile(published / "bisenet" / "keys.json", d / "keys.json")
    _save(_state(net), d / "bisenet.safetensors")
    x = torch.from_numpy(parsing_input_rgb).permute(2, 0, 1).float() / 255.0  # ToTensor
    mean = torch.tensor([0.485, 0.456, 0.406])[:, None, None]
    std = torch.tensor([0.229, 0.224, 0.225])[:, None, None]
    x = ((x - mean) / std).unsqueeze(0).contiguous()
    logits = net(x)
    _save({"input": x, "logits": logits.half(), "argmax": logits.argmax(1).to(torch.uint8)}, d / "case.safetensors")


# ---------------------------------------------------------------------------------------------- images

def read_frame(video: Path, index: int) -> np.ndarray:
    cv2, _ = _imaging()
    cap = cv2.VideoCapture(str(video))
    try:
        for i in range(index + 1):
            ok, frame = cap.read()
            if not ok:
                raise SystemExit(f"{video}: no frame {index} (the video has {i})")
    finally:
        cap.release()
    return frame  # BGR


def face_box(frame: np.ndarray) -> tuple[int, int, int, int]:
    """OpenCV's Haar cascade box (the v1.5 rule's fallback) with the +10 px bottom margin."""
    cv2, _ = _imaging()
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    faces = cascade.detectMultiScale(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), 1.1, 5, minSize=(48, 48))
    if len(faces) == 0:
        raise SystemExit("no face found in the chosen frame: pick another --face-frame or give --bbox")
    x, y, w, h = max(faces, key=lambda f: f[2] * f[3])
    return int(x), int(y), int(x + w), int(min(y + h + MARGIN, frame.shape[0]))


def crop_box(bbox: tuple[int, int, int, int], expand: float = EXPAND) -> tuple[int, int, int, int]:
    """musetalk/utils/blending.py::get_crop_box."""
    x, y, x1, y1 = bbox
    xc, yc = (x + x1) // 2, (y + y1) // 2
    s = int(max(x1 - x, y1 - y) // 2 * expand)
    return xc - s, yc - s, xc + s, yc + s


def synthetic_labels(seed: int) -> np.ndarray:
    """A 512x512 CelebAMask-HQ label map of a drawn face, jittered by the seed (stands in for BiSeNet's argmax)."""
    cv2, _ = _imaging()
    rng = np.random.default_rng(seed)

    def j(v, spread=10):
        return int(v + rng.integers(-spread, spread + 1))

    lab = np.zeros((512, 512), np.uint8)
    cv2.ellipse(lab, (j(256), j(140)), (j(210), j(150)), 0, 0, 360, HAIR, -1)
    cv2.rectangle(lab, (j(190), j(380)), (j(322), 511), NECK, -1)
    cv2.ellipse(lab, (j(256, 6), j(270)), (j(165), j(200)), j(0, 5), 0, 360, SKIN, -1)
    for cls, cx in ((BROW_L, 190), (BROW_R, 322)):
        cv2.ellipse(lab, (j(cx, 6), j(195, 6)), (j(35, 5), j(8, 2)), j(0, 8), 0, 360, cls, -1)
    for cls, cx in ((EYE_L, 190), (EYE_R, 322)):
        cv2.ellipse(lab, (j(cx, 6), j(230, 6)), (j(25, 4), j(10, 3)), 0, 0, 360, cls, -1)
    cv2.ellipse(lab, (j(256, 4), j(290, 6)), (j(22, 4), j(45, 6)), 0, 0, 360, NOSE, -1)
    my = j(375, 8)
    cv2.ellipse(lab, (256, my - 12), (j(50, 6), j(10, 2)), 0, 0, 360, UPPER_LIP, -1)
    cv2.ellipse(lab, (256, my + 14), (j(50, 6), j(12, 2)), 0, 0, 360, LOWER_LIP, -1)
    cv2.ellipse(lab, (256, my), (j(45, 5), j(6, 2)), 0, 0, 360, MOUTH, -1)
    return lab


def jaw_mask(parsing: np.ndarray, cheek_width: int = CHEEK_WIDTH) -> np.ndarray:
    """musetalk/utils/face_parsing FaceParsing.__call__(mode='jaw') after the argmax."""
    cv2, _ = _imaging()
    kernel = np.zeros((33, 33), np.uint8)
    for r in range(10, 21):
        kernel[r, 16 - (r - 10):16 + (r - 10) + 1] = 1
    kernel[21:, 6:27] = 1
    erode_kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (35, 3))
    cheek = np.zeros((512, 512), np.uint8)
    cv2.rectangle(cheek, (0, 0), (256 - cheek_width, 512), 255, -1)
    cv2.rectangle(cheek, (256 + cheek_width, 0), (512, 512), 255, -1)
    face = (np.isin(parsing, [SKIN]) * 255).astype(np.uint8)
    dilated = cv2.dilate(face, kernel, iterations=1)
    eroded = cv2.erode(dilated, erode_kernel, iterations=2)
    region = cv2.bitwise_or(cv2.bitwise_and(eroded, cheek), cv2.bitwise_and(dilated, cv2.bitwise_not(cheek)))
    out = parsing.astype(np.int32).copy()
    out[(region == 255) & ~np.isin(parsing, [NOSE])] = 255
    out[np.isin(parsing, [MOUTH, UPPER_LIP, LOWER_LIP])] = 255
    out[out != 255] = 0
    return out.astype(np.uint8)


def blend_mask(jaw512: np.ndarray, bbox, box) -> np.ndarray:
    """get_image_prepare_material after the parsing: resize to the crop box (PIL's BICUBIC), keep the
    bbox, zero the upper half, GaussianBlur with k = int(0.1*side//2*2)+1."""
    cv2, Image = _imaging()
    x, y, x1, y1 = bbox
    xs, ys, xe, ye = box
    size = (xe - xs, ye - ys)
    parsed = Image.fromarray(jaw512).resize(size, Image.BICUBIC)
    small = parsed.crop((x - xs, y - ys, x1 - xs, y1 - ys))
    mask = Image.new("L", size, 0)
    mask.paste(small, (x - xs, y - ys, x1 - xs, y1 - ys))
    top = int(size[1] * UPPER_RATIO)
    kept = Image.new("L", size, 0)
    kept.paste(mask.crop((0, top, size[0], size[1])), (0, top))
    k = int(0.1 * size[0] // 2 * 2) + 1
    return cv2.GaussianBlur(np.array(kept), (k, k), 0)


def blend(frame: np.ndarray, generated256: np.ndarray, bbox, box, mask: np.ndarray) -> np.ndarray:
    """get_image_blending on the generated face resized (cv2 bilinear) to the bbox."""
    cv2, Image = _imaging()
    x, y, x1, y1 = bbox
    face = cv2.resize(generated256, (x1 - x, y1 - y))
    body = Image.fromarray(frame[:, :, ::-1].copy())
    large = body.crop(box)
    large.paste(Image.fromarray(face[:, :, ::-1].copy()), (x - box[0], y - box[1], x1 - box[0], y1 - box[1]))
    body.paste(large, box[:2], Image.fromarray(mask).convert("L"))
    return np.array(body)[:, :, ::-1]


def parsing_input(frame: np.ndarray, box) -> np.ndarray:
    """The crop box of the frame (black outside, PIL crop) resized to 512x512 with PIL's BILINEAR, RGB."""
    _, Image = _imaging()
    return np.array(Image.fromarray(frame[:, :, ::-1].copy()).crop(box).resize((512, 512), Image.BILINEAR))


# ---------------------------------------------------------------------------------------------- main

def generate(a: argparse.Namespace) -> None:
    cv2, _ = _imaging()
    out = Path(a.out)
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out}: exists and is not empty")
    out.mkdir(parents=True, exist_ok=True)
    published = Path(a.published)
    shutil.copytree(published / "full-size", out / "full-size")

    def log(msg):
        print(f"golden_set: {msg}", file=sys.stderr, flush=True)

    log("whisper")
    speech = read_pcm16_mono(Path(a.media) / "eng.wav")
    short = whisper_case(out, a.seed * 100 + 10, speech, (a.short_start, a.short_seconds),
                           (a.long_start, a.long_seconds))

    frame = read_frame(Path(a.media) / "sun.mp4", a.face_frame)
    bbox = tuple(a.bbox) if a.bbox else face_box(frame)
    x, y, x1, y1 = bbox
    if not (0 <= x < x1 <= frame.shape[1] and 0 <= y < y1 <= frame.shape[0]):
        raise SystemExit(f"box {bbox} is not inside the {frame.shape[1]}x{frame.shape[0]} frame")
    box = crop_box(bbox)
    crop = cv2.resize(frame[y:y1, x:x1], (256, 256), interpolation=cv2.INTER_LANCZOS4)
    log(f"frame {a.face_frame}: bbox {bbox}, crop box {box}")

    log("unet")
    unet_case(out, a.seed * 100 + 20, a.unet_widths, published, short, a.unet_batch)
    log("vae")
    generated = vae_case(out, a.seed * 100 + 30, a.vae_widths, published, crop, a.decode_batch)
    log("bisenet")
    bisenet_case(out, a.seed * 100 + 40, published, parsing_input(frame, box))

    log("blend")
    d = out / "blend"
    d.mkdir()
    labels = synthetic_labels(a.seed)
    jaw = jaw_mask(labels)
    mask = blend_mask(jaw, bbox, box)
    cv2.imwrite(str(d / "frame.png"), frame)
    cv2.imwrite(str(d / "labels_512.png"), labels)
    cv2.imwrite(str(d / "jaw_mask_512.png"), jaw)
    cv2.imwrite(str(d / "mask.png"), mask)
    cv2.imwrite(str(d / "generated_256.png"), generated)
    cv2.imwrite(str(d / "blended.png"), blend(frame, generated, bbox, box, mask))
    _write_json(d / "case.json", {"bbox_with_margin": list(bbox), "crop_box": list(box), "cheek_width": CHEEK_WIDTH,
                                  "upper_boundary_ratio": UPPER_RATIO, "expand": EXPAND, "mode": "jaw",
                                  "note": "generated_256 is resized to the bbox with cv2.resize (bilinear) before blending"})

    params = {k: v for k, v in vars(a).items() if k not in ("out",)}
    _write_json(out / "generated.json", {"generator": "python -m musetalk_models.golden_set", **params,
                                         "bbox_with_margin": list(bbox), "crop_box": list(box)})
    (out / "README.md").write_text(
        "# Golden tensors for MuseTalk 1.5 (generated)\n\n"
        "Written by `python -m musetalk_models.golden_set` (models/) in the layout of the shared set "
        "(../shared/golden/musetalk15/README.md lists every file); the parameters are in `generated.json`.\n"
        f"Short clip {a.short_seconds} s, long clip {a.long_seconds} s, face frame {a.face_frame} of sun.mp4, "
        f"UNet widths {a.unet_widths}, VAE widths {a.vae_widths}, seed {a.seed}.\n")
    log(f"done: {out}")


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m musetalk_models.golden_set", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="a new (or empty) directory")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--short-seconds", type=float, default=3.37)
    p.add_argument("--short-start", type=float, default=0.0, help="where the short clip starts in eng.wav (s)")
    p.add_argument("--long-seconds", type=float, default=31.52, help="more than 30 s: the clip crosses a seam")
    p.add_argument("--long-start", type=float, default=0.0)
    p.add_argument("--face-frame", type=int, default=0, help="frame of sun.mp4 for the crop, parsing and blend")
    p.add_argument("--bbox", type=lambda s: [int(v) for v in s.split(",")], default=None,
                   help="x1,y1,x2,y2 with the bottom margin; default: the Haar cascade's box + 10 px")
    p.add_argument("--unet-widths", type=lambda s: _widths(s, 32, 8), default=[32, 64, 64, 64])
    p.add_argument("--vae-widths", type=lambda s: _widths(s, 32), default=[32, 32, 64, 64])
    p.add_argument("--unet-batch", type=int, default=3)
    p.add_argument("--decode-batch", type=int, default=2)
    p.add_argument("--media", default=str(SHARED / "media"), help="holds sun.mp4 and eng.wav")
    p.add_argument("--published", default=str(SHARED / "golden" / "musetalk15"),
                   help="a set whose full-size/ and bisenet/keys.json (published checkpoints) are copied")
    return p


def main(argv: list[str] | None = None) -> int:
    generate(make_parser().parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
