"""Model setup in one command: download the published weights, verify them, export the graphs.

    python3 -m musetalk_models.setup --out DIR [--weights DIR (default DIR/weights)] [--mirror URL]
        [--only unet,vae,whisper,bisenet,dwpose] [--precision fp32|fp16] [--device cpu|cuda] [--batch B]

1. Every file of the download manifest (`download_manifest.json`: MuseTalk 1.5 UNet, sd-vae-ft-mse,
   whisper-tiny, BiSeNet face parsing, DWPose `dw-ll_ucoco_384.onnx`) is fetched into the weights
   directory as `musetalk_models.download` does it (`.part` files, size/sha256 checks, the lock file
   recording first-download checksums; files already present are verified, not fetched again).
2. The networks are exported into DIR (`musetalk_models.export`): TorchScript graphs, their parity
   files, and the DWPose ONNX file copied beside them after its input/output signature is checked;
   `DIR/manifest.json` lists them all with their sha256, which the Java service verifies at start.

Exit status: 0 done, 1 a download or export failed (one line naming the file), 2 bad arguments.
"""
from __future__ import annotations

import argparse
import http.client
import sys
import urllib.error
from pathlib import Path

from . import download as dl
from . import export as ex
from .weights import WeightLoadError

# where each network's files land in the weights directory (MuseTalk's ./models/ layout)
LAYOUT = {
    "unet": {"unet_config": "musetalkV15/musetalk.json", "unet_weights": "musetalkV15/unet.pth"},
    "vae": {"vae_config": "sd-vae/config.json", "vae_weights": "sd-vae/diffusion_pytorch_model.bin"},
    "whisper": {"whisper_dir": "whisper"},
    "bisenet": {"bisenet_weights": "face-parse-bisent/79999_iter.pth"},
    "dwpose": {"dwpose_onnx": "dwpose/dw-ll_ucoco_384.onnx"},
}


def export_inputs(weights: Path, groups: set[str]) -> ex.Inputs:
    """The export inputs for the downloaded groups; a file the layout needs but is absent fails naming it."""
    inp = ex.Inputs()
    for group in sorted(groups & LAYOUT.keys()):
        for field, rel in LAYOUT[group].items():
            path = weights / rel
            if not path.exists():
                raise ex.ExportError(f"{path}: expected after downloading group '{group}', not found")
            setattr(inp, field, path)
    return inp


def setup(out: Path, weights: Path, specs: list[dl.FileSpec], mirror: str | None = None, timeout: float = 60.0,
          precision: str = "fp32", batch: int = 4, device: str = "cpu", log=print) -> dict:
    log(f"[1/2] downloading {len(specs)} files into {weights}")
    dl.download(weights, specs, mirror, timeout, log=log)
    inp = export_inputs(weights, {s.group for s in specs})
    log(f"[2/2] exporting into {out} (precision={precision}, batch={batch}, device={device})")
    return ex.export(inp, out, precision, batch, device, log=log)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m musetalk_models.setup", description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="the models directory the service reads (manifest.json, graphs)")
    p.add_argument("--weights", help="where the published files go (default: OUT/weights)")
    p.add_argument("--mirror", help="base URL serving <dest path> for every file (offline mirror, file:// works)")
    p.add_argument("--manifest", default=str(dl.DEFAULT_MANIFEST), help="file list (default: the packaged one)")
    p.add_argument("--only", help="comma-separated groups: unet,vae,whisper,bisenet,dwpose (default all)")
    p.add_argument("--precision", choices=("fp32", "fp16"), default="fp32")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per network read")
    args = p.parse_args(argv)
    if args.batch < 1:
        p.error(f"--batch must be >= 1, got {args.batch}")
    specs = dl.read_manifest(Path(args.manifest))
    if args.only:
        groups = {g.strip() for g in args.only.split(",") if g.strip()}
        unknown = groups - {s.group for s in specs}
        if unknown:
            p.error(f"--only: unknown groups {sorted(unknown)}")
        specs = [s for s in specs if s.group in groups]
    out = Path(args.out)
    weights = Path(args.weights) if args.weights else out / "weights"
    try:
        manifest = setup(out, weights, specs, args.mirror, args.timeout, args.precision, args.batch, args.device)
    except (dl.DownloadError, urllib.error.URLError, http.client.HTTPException, OSError) as e:
        msg = str(e) if isinstance(e, dl.DownloadError) else f"{type(e).__name__}: {e}"
        print(f"setup failed: download: {' '.join(msg.split())}", file=sys.stderr)
        return 1
    except (ex.ExportError, WeightLoadError, ValueError) as e:
        print(f"setup failed: export: {' '.join(str(e).split())}", file=sys.stderr)
        return 1
    names = list(manifest["graphs"]) + [f"{k} (onnx)" for k in manifest.get("onnx", {})]
    print(f"models ready in {out}: {', '.join(names)}; manifest {out / 'manifest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
