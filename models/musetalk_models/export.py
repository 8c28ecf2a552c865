"""Export MuseTalk 1.5 networks to traced TorchScript graphs plus manifest.json.

    python3 -m musetalk_models.export --out DIR [--precision fp32|fp16] [--batch B (default 4)] [--device cpu|cuda]
        [--unet-config musetalk.json --unet-weights unet.pth|unet.safetensors]
        [--vae-config config.json --vae-weights diffusion_pytorch_model.bin|.safetensors]
        [--whisper-dir DIR]            (config.json + model.safetensors/pytorch_model.bin)
        [--bisenet-weights 79999_iter.pth|bisenet.safetensors]
        [--random-weights]             (any config with seeded random weights, for benchmarks)
        [--golden DIR]                 (every config+weights from a golden dir laid out like shared/golden/musetalk15)
        [--dwpose-onnx dw-ll_ucoco_384.onnx]  (copied beside the graphs, listed under "onnx" in the manifest)

With --random-weights or --golden and no --dwpose-onnx, a small random-weights ONNX model with
DWPose's exact signature is written as dw-ll_ucoco_384.onnx (tests: see musetalk_models.dwpose).

Only the graphs whose inputs were given are exported. Graphs are made with torch.jit.trace in
eval mode (never script: DJL 0.36 runs libtorch 2.7.1 and must load them). Each graph is reloaded
with torch.jit.load and compared with the eager module; beside it, `<name>.parity.safetensors`
holds the example inputs and the eager outputs so the Java side can check parity.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from . import dwpose
from .bisenet import BiSeNet, load_bisenet
from .graphs import BiSeNetLogits, UNetStep, VaeDecode, VaeEncode, WhisperMel
from .unet import UNet2DConditionModel, UNetConfig, load_unet
from .vae import AutoencoderKL, VAEConfig, load_vae
from .weights import WeightLoadError, sha256_of
from .whisper import (SEGMENT_SAMPLES, LogMel, MelConfig, WhisperFeatures, build_whisper_encoder,
                      load_whisper_encoder, whisper_weights_file)

MANIFEST_FORMAT = 1
RANDOM_SEED = 1234
DTYPE_NAMES = {torch.float32: "float32", torch.float16: "float16", torch.uint8: "uint8", torch.int64: "int64"}


class ExportError(RuntimeError):
    """An export could not be made or did not reproduce its eager module."""


@dataclass
class Inputs:
    """Where each network comes from; None = not exported."""

    unet_config: Path | None = None
    unet_weights: Path | None = None
    vae_config: Path | None = None
    vae_weights: Path | None = None
    whisper_dir: Path | None = None
    bisenet_weights: Path | None = None
    random_weights: bool = False
    dwpose_onnx: Path | None = None   # the published ONNX file to copy
    random_dwpose: bool = False       # write the random-weights stand-in instead


@dataclass
class GraphJob:
    name: str
    module: nn.Module
    make_inputs: callable  # batch -> list[(name, tensor)]
    output_name: str
    batched: bool
    sources: list[dict]
    config: dict = field(default_factory=dict)
    semantics: str = ""


def _source(role: str, path: Path) -> dict:
    return {"role": role, "path": str(path), "name": path.name, "size": path.stat().st_size, "sha256": sha256_of(path)}


def _seeded(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def _cfg_dict(cfg) -> dict:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(cfg).items() if k != "extra"}


def build_jobs(inp: Inputs, precision: str, device: str) -> list[GraphJob]:
    dtype = torch.float16 if precision == "fp16" else torch.float32
    jobs: list[GraphJob] = []
    torch.manual_seed(RANDOM_SEED)
    weights_note = f"random(seed={RANDOM_SEED})" if inp.random_weights else "loaded"

    if inp.unet_config is not None:
        if inp.random_weights:
            unet = UNet2DConditionModel(UNetConfig.from_json(inp.unet_config)).eval()
            sources = [_source("config", inp.unet_config)]
        else:
            unet = load_unet(inp.unet_config, inp.unet_weights)
            sources = [_source("config", inp.unet_config), _source("weights", inp.unet_weights)]
        step = UNetStep(unet).to(device=device, dtype=dtype).eval()
        cin = unet.config.in_channels
        cross = unet.config.cross_attention_dim
        jobs.append(GraphJob(
            "unet", step,
            lambda b: (g := _seeded(1)) and [("latents", torch.randn(b, cin, 32, 32, generator=g).to(device, dtype)),
                                     ("audio", torch.randn(b, 50, cross, generator=g).to(device, dtype))],
            "pred_latents", True, sources, _cfg_dict(unet.config) | {"weights": weights_note},
            "UNet(latents, t=0, audio + PE[50,384]); PE and t are constants inside"))

    if inp.vae_config is not None:
        if inp.random_weights:
            vae = AutoencoderKL(VAEConfig.from_json(inp.vae_config)).eval()
            sources = [_source("config", inp.vae_config)]
        else:
            vae = load_vae(inp.vae_config, inp.vae_weights)
            sources = [_source("config", inp.vae_config), _source("weights", inp.vae_weights)]
        vae = vae.to(device=device, dtype=dtype).eval()
        lat = vae.config.latent_channels
        cfg = _cfg_dict(vae.config) | {"weights": weights_note}
        jobs.append(GraphJob(
            "vae_decode", VaeDecode(vae).eval(),
            lambda b: (g := _seeded(2)) and [("latents", torch.randn(b, lat, 32, 32, generator=g).to(device, dtype))],
            "bgr", True, sources, cfg,
            "decode(latents / scaling_factor) -> /2+0.5, clamp 0..1, x255, round, uint8, RGB->BGR, NHWC"))
        jobs.append(GraphJob(
            "vae_encode", VaeEncode(vae).eval(),
            lambda b: (g := _seeded(3)) and [("crops_bgr", torch.randint(0, 256, (b, 256, 256, 3), generator=g, dtype=torch.uint8).to(device)),
                                     ("half_mask", (torch.arange(b) % 2 == 0).to(torch.float32).to(device))],
            "latents", True, sources, cfg,
            "BGR->RGB, /255, rows 128..255 zeroed where half_mask=1, (x-0.5)/0.5, posterior MEAN x scaling_factor"))

    if inp.whisper_dir is not None:
        d = inp.whisper_dir
        pre = d / "preprocessor_config.json"
        mel = LogMel(MelConfig.from_json(pre) if pre.is_file() else MelConfig())
        # the mel graph depends on the configs only; the weights are the encoder's
        sources = [_source("config", d / "config.json")] + ([_source("preprocessor", pre)] if pre.is_file() else [])
        if inp.random_weights:
            encoder = build_whisper_encoder(d)
            weights_source = []
        else:
            encoder = load_whisper_encoder(d)
            weights_source = [_source("weights", whisper_weights_file(d))]
        feats = WhisperFeatures(mel, encoder.to(dtype=dtype)).to(device).eval()
        wcfg = {"d_model": encoder.config.d_model, "encoder_layers": encoder.config.encoder_layers,
                "weights": weights_note}

        def samples(_b):
            g = _seeded(4)
            t = torch.arange(SEGMENT_SAMPLES, dtype=torch.float32) / 16000.0
            x = 0.3 * torch.sin(2 * torch.pi * 220.0 * t) * torch.sin(2 * torch.pi * 1.5 * t) + 0.05 * torch.randn(SEGMENT_SAMPLES, generator=g)
            x[SEGMENT_SAMPLES // 2:] = 0.0  # a short last segment, zero-padded to the full length
            return [("samples", x.to(device))]

        padded = f"samples: up to {SEGMENT_SAMPLES}, zero-padded to {SEGMENT_SAMPLES} inside (longer fails); "
        jobs.append(GraphJob("whisper", feats, samples, "features", False, sources + weights_source, wcfg,
                             padded + "log-mel (WhisperFeatureExtractor math) then encoder hidden states "
                             "[emb, l1, l2, l3, LN(l4)] stacked"))
        jobs.append(GraphJob("whisper_mel", WhisperMel(mel).to(device).eval(), samples, "mel", False, sources,
                             {"n_mels": mel.cfg.feature_size}, padded + "log-mel only, float32"))

    if inp.bisenet_weights is not None:
        net = load_bisenet(inp.bisenet_weights)
        net = net.to(device=device, dtype=dtype).eval()
        jobs.append(GraphJob(
            "bisenet", BiSeNetLogits(net).eval(),
            lambda b: (g := _seeded(5)) and [("input", torch.randn(b, 3, 512, 512, generator=g).to(device, dtype))],
            "logits", True, [_source("weights", inp.bisenet_weights)], {"n_classes": 19, "weights": "loaded"},
            "first BiSeNet output, bilinear-upsampled (align_corners=True) to the input size"))
    return jobs


def max_abs_diff(a: torch.Tensor, b: torch.Tensor) -> float:
    """Max |a - b| in float32 (0 for empty tensors); the one comparison used by export and the tests."""
    return (a.float() - b.float()).abs().max().item() if a.numel() else 0.0


def _tolerance(ref: torch.Tensor) -> float:
    if ref.dtype == torch.uint8:
        return 1.0
    scale = max(1.0, ref.float().abs().max().item())
    return (2e-2 if ref.dtype == torch.float16 else 1e-4) * scale


def _spec(name: str, t: torch.Tensor) -> dict:
    return {"name": name, "shape": list(t.shape), "dtype": DTYPE_NAMES[t.dtype]}


@torch.no_grad()
def export_job(job: GraphJob, out: Path, batch: int, device: str) -> dict:
    inputs = job.make_inputs(batch)
    args = tuple(t for _, t in inputs)
    expected = job.module(*args)
    traced = torch.jit.trace(job.module, args, check_trace=False)
    path = out / f"{job.name}.pt"
    traced.save(str(path))
    loaded = torch.jit.load(str(path), map_location=device)  # what DJL does
    got = loaded(*args)
    diff = max_abs_diff(got, expected)
    if got.dtype != expected.dtype or got.shape != expected.shape or diff > _tolerance(expected):
        raise ExportError(f"{job.name}: reloaded graph differs from eager: {got.dtype}{tuple(got.shape)} vs "
                          f"{expected.dtype}{tuple(expected.shape)}, max abs diff {diff}")
    checked, dynamic = [], job.batched
    if job.batched:
        for other in [b for b in (1, 2, 3) if b != batch][:2]:
            other_args = tuple(t for _, t in job.make_inputs(other))
            try:
                o = loaded(*other_args)
                ok = o.shape[0] == other and max_abs_diff(o, job.module(*other_args)) <= _tolerance(o)
            except Exception:  # a fixed-shape trace fails here, which is the answer we want
                ok = False
            checked.append({"batch": other, "ok": ok})
            dynamic = dynamic and ok
    from safetensors.torch import save_file

    parity = out / f"{job.name}.parity.safetensors"
    save_file({**{n: t.detach().cpu().contiguous() for n, t in inputs},
               f"expected_{job.output_name}": expected.detach().cpu().contiguous()}, str(parity))
    return {
        "file": path.name,
        "sha256": sha256_of(path),
        "size": path.stat().st_size,
        "inputs": [_spec(n, t) for n, t in inputs],
        "outputs": [_spec(job.output_name, expected)],
        "batched": job.batched,
        "dynamic_batch": dynamic,
        "batch_checks": checked,
        "reload_max_abs_diff": diff,
        "parity_file": parity.name,
        "semantics": job.semantics,
        "config": job.config,
        "sources": job.sources,
    }


def export(inp: Inputs, out: Path, precision: str = "fp32", batch: int = 4, device: str = "cpu",
           log=print) -> dict:
    if precision not in ("fp32", "fp16"):
        raise ExportError(f"precision must be fp32 or fp16, got {precision!r}")
    if batch < 1:
        raise ExportError(f"batch must be >= 1, got {batch}")
    if device == "cuda" and not torch.cuda.is_available():
        raise ExportError("--device cuda requested but torch.cuda.is_available() is False")
    jobs = build_jobs(inp, precision, device)
    if not jobs and inp.dwpose_onnx is None and not inp.random_dwpose:
        raise ExportError("nothing to export: give --golden or at least one model's config/weights")
    out.mkdir(parents=True, exist_ok=True)
    import transformers

    manifest = {
        "format": MANIFEST_FORMAT,
        "generator": "musetalk_models.export",
        "created_utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "torch_version": torch.__version__,
        "transformers_version": transformers.__version__,
        "precision": precision,
        "batch": batch,
        "device": device,
        "random_weights": inp.random_weights,
        "vae_scaling_factor": 0.18215,
        "graphs": {},
    }
    for job in jobs:
        log(f"exporting {job.name} (precision={precision}, batch={batch}, device={device})")
        manifest["graphs"][job.name] = entry = export_job(job, out, batch, device)
        log(f"  {entry['file']}: dynamic_batch={entry['dynamic_batch']} reload diff={entry['reload_max_abs_diff']:.3g}")
    if inp.dwpose_onnx is not None or inp.random_dwpose:
        log("writing the DWPose ONNX file" + (" (random weights)" if inp.dwpose_onnx is None else ""))
        try:
            entry = (dwpose.copy_dwpose(inp.dwpose_onnx, out) if inp.dwpose_onnx is not None
                     else dwpose.write_random_dwpose(out))
        except ValueError as e:
            raise ExportError(str(e)) from e
        manifest["onnx"] = {"dwpose": entry}
        log(f"  {entry['file']}: sha256 {entry['sha256']}")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def inputs_from_args(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Inputs:
    inp = Inputs(random_weights=args.random_weights)
    if args.dwpose_onnx is not None:
        inp.dwpose_onnx = Path(args.dwpose_onnx)
        if not inp.dwpose_onnx.is_file():
            parser.error(f"file not found: {inp.dwpose_onnx}")
    else:
        inp.random_dwpose = args.random_weights or args.golden is not None
    if args.golden is not None:
        g = Path(args.golden)
        if not g.is_dir():
            parser.error(f"--golden {g}: not a directory")
        inp.unet_config, inp.unet_weights = g / "unet/musetalk.json", g / "unet/unet.pth"
        inp.vae_config, inp.vae_weights = g / "vae/config.json", g / "vae/vae.safetensors"
        inp.whisper_dir = g / "whisper"
        inp.bisenet_weights = None if args.random_weights else g / "bisenet/bisenet.safetensors"
    for name in ("unet_config", "unet_weights", "vae_config", "vae_weights", "whisper_dir", "bisenet_weights"):
        if getattr(args, name) is not None:
            setattr(inp, name, Path(getattr(args, name)))
    if args.random_weights:
        for flag in ("unet_weights", "vae_weights", "bisenet_weights"):
            if getattr(args, flag) is not None:
                parser.error(f"--random-weights and --{flag.replace('_', '-')} exclude each other")
        if args.bisenet_weights is None:
            inp.bisenet_weights = None
        inp.unet_weights = inp.vae_weights = None
    for net in ("unet", "vae"):
        cfg, w = getattr(inp, f"{net}_config"), getattr(inp, f"{net}_weights")
        if w is not None and cfg is None:
            parser.error(f"--{net}-weights needs --{net}-config")
        if cfg is not None and w is None and not args.random_weights:
            parser.error(f"--{net}-config needs --{net}-weights (or --random-weights)")
    for p in (inp.unet_config, inp.unet_weights, inp.vae_config, inp.vae_weights, inp.bisenet_weights):
        if p is not None and not p.is_file():
            parser.error(f"file not found: {p}")
    if inp.whisper_dir is not None and not (inp.whisper_dir / "config.json").is_file():
        parser.error(f"--whisper-dir {inp.whisper_dir}: no config.json")
    return inp


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m musetalk_models.export", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="output directory for *.pt, *.parity.safetensors, manifest.json")
    p.add_argument("--precision", choices=("fp32", "fp16"), default="fp32")
    p.add_argument("--batch", type=int, default=4, help="example batch the graphs are traced at (default 4)")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    p.add_argument("--unet-config")
    p.add_argument("--unet-weights")
    p.add_argument("--vae-config")
    p.add_argument("--vae-weights")
    p.add_argument("--whisper-dir")
    p.add_argument("--bisenet-weights")
    p.add_argument("--random-weights", action="store_true")
    p.add_argument("--golden", help="take every config+weights from a golden dir like shared/golden/musetalk15")
    p.add_argument("--dwpose-onnx", help="the published dw-ll_ucoco_384.onnx, copied into --out and listed in the manifest")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.batch < 1:
        parser.error(f"--batch must be >= 1, got {args.batch}")
    inp = inputs_from_args(args, parser)
    try:
        export(inp, Path(args.out), args.precision, args.batch, args.device)
    except (ExportError, WeightLoadError, ValueError) as e:
        print(f"export failed: {e}", file=sys.stderr)
        return 1
    print(f"wrote {Path(args.out) / 'manifest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
