"""Latency and throughput of exported graphs with Python torch (torch.jit.load, as DJL loads them).

    python3 -m musetalk_models.bench --graphs DIR [--batches 1,4,8] [--iters N] [--warmup W] [--only unet,vae_decode]

Reads DIR/manifest.json and, per graph and batch size, times N calls after W warm-up calls.
frames/s = batch / latency for the per-frame graphs; for whisper one call is a 30 s segment, so the
figure printed is the real-time factor instead. Graphs whose manifest says dynamic_batch=false
run only at their traced batch.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

DTYPES = {"float32": torch.float32, "float16": torch.float16, "uint8": torch.uint8}


def make_inputs(entry: dict, batch: int, device: str) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    out = []
    for spec in entry["inputs"]:
        shape = list(spec["shape"])
        if entry.get("batched"):
            shape[0] = batch
        dtype = DTYPES[spec["dtype"]]
        if dtype == torch.uint8:
            t = torch.randint(0, 256, shape, generator=g, dtype=torch.uint8)
        elif spec["name"] == "half_mask":
            t = (torch.arange(shape[0]) % 2 == 0).to(torch.float32)
        else:
            t = (0.1 * torch.randn(shape, generator=g)).to(dtype)
        out.append(t.to(device))
    return out


def _sync(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


@torch.no_grad()
def bench_graph(path: Path, entry: dict, batches: list[int], iters: int, warmup: int, device: str) -> list[dict]:
    graph = torch.jit.load(str(path), map_location=device).eval()
    traced_batch = entry["inputs"][0]["shape"][0] if entry.get("batched") else 1
    if not entry.get("batched"):
        batches = [1]
    elif not entry.get("dynamic_batch"):
        batches = [traced_batch]
    rows = []
    for b in batches:
        args = make_inputs(entry, b, device)
        for _ in range(warmup):
            graph(*args)
        _sync(device)
        times = []
        for _ in range(iters):
            t0 = time.perf_counter()
            graph(*args)
            _sync(device)
            times.append(time.perf_counter() - t0)
        times.sort()
        median = times[len(times) // 2]
        rows.append({"batch": b, "median_s": median, "min_s": times[0], "iters": iters})
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m musetalk_models.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--graphs", required=True, help="directory with manifest.json and the .pt files")
    p.add_argument("--batches", default="1,4,8")
    p.add_argument("--iters", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--only", help="comma-separated graph names")
    p.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    p.add_argument("--json", help="also write the figures to this file")
    args = p.parse_args(argv)
    d = Path(args.graphs)
    manifest_path = d / "manifest.json"
    if not manifest_path.is_file():
        p.error(f"{manifest_path} not found: run musetalk_models.export first")
    manifest = json.loads(manifest_path.read_text())
    batches = [int(b) for b in args.batches.split(",") if b.strip()]
    names = [n for n in manifest["graphs"] if not args.only or n in args.only.split(",")]
    print(f"# {d}  precision={manifest['precision']} traced_batch={manifest['batch']} random_weights={manifest['random_weights']} "
          f"torch={torch.__version__} device={args.device} threads={torch.get_num_threads()}")
    print(f"{'graph':<12} {'batch':>5} {'median ms':>10} {'min ms':>9} {'frames/s':>9}")
    results = {}
    for name in names:
        entry = manifest["graphs"][name]
        rows = bench_graph(d / entry["file"], entry, batches, args.iters, args.warmup, args.device)
        results[name] = rows
        for r in rows:
            if name.startswith("whisper"):
                rate = f"{30.0 / r['median_s']:.1f}x RT"
            else:
                rate = f"{r['batch'] / r['median_s']:.2f}"
            print(f"{name:<12} {r['batch']:>5} {r['median_s'] * 1e3:>10.1f} {r['min_s'] * 1e3:>9.1f} {rate:>9}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"manifest": str(manifest_path), "device": args.device,
                                               "threads": torch.get_num_threads(), "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
