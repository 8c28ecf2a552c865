"""Traces tiny stand-in graphs with the UNet's signature for the DJL plumbing and error tests.

usage: python3 trace_test_graphs.py OUT_DIR
writes OUT_DIR/{ok,ok_fp16,fixed,reshape,oom}/unet.pt + manifest.json (the manifest format of musetalk_models.export)
"""
import hashlib
import json
import os
import sys

import torch


class Ok(torch.nn.Module):
    """(latents[B,8,32,32], audio[B,50,384]) -> latents[:, :4] * 2 + mean(audio) per item."""

    def forward(self, latents, audio):
        return latents[:, :4] * 2 + audio.mean(dim=(1, 2)).reshape(-1, 1, 1, 1)


class FixedBatchReshape(torch.nn.Module):
    """Traced at B=4 with the batch baked into a view: any other batch is a libtorch shape error."""

    def forward(self, latents, audio):
        return latents[:, :4].reshape(4, 4, 32, 32) + audio.mean()


class Oom(torch.nn.Module):
    """Allocates (20*B)^5 floats: 12.8 MB at B=1, 14 PB at B=64. That is past the 2^48-byte address
    space, so the allocator fails even where the kernel overcommits memory (no OOM killer)."""

    def forward(self, latents, audio):
        n = latents.shape[0] * 20
        big = audio.new_zeros([n, n, n, n, n])
        return latents[:, :4] + big.sum()


def export(module, out, batch, dynamic, half=False):
    os.makedirs(out, exist_ok=True)
    dtype = torch.float16 if half else torch.float32
    example = (torch.zeros(batch, 8, 32, 32, dtype=dtype), torch.zeros(batch, 50, 384, dtype=dtype))
    traced = torch.jit.trace(module.eval(), example)
    path = os.path.join(out, "unet.pt")
    traced.save(path)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    b = -1 if dynamic else batch
    precision = "fp16" if half else "fp32"
    dt = "float16" if half else "float32"
    manifest = {
        "precision": precision,
        "graphs": {
            "unet": {
                "file": "unet.pt",
                "sha256": digest,
                "precision": precision,
                "batch": batch,
                "dynamic_batch": dynamic,
                "inputs": [
                    {"name": "latents", "shape": [b, 8, 32, 32], "dtype": dt},
                    {"name": "audio", "shape": [b, 50, 384], "dtype": dt},
                ],
                "outputs": [{"name": "latents_out", "shape": [b, 4, 32, 32], "dtype": dt}],
            }
        },
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    root = sys.argv[1]
    export(Ok(), os.path.join(root, "ok"), 2, True)
    # fp16 in and out, as a GPU export declares them (runs on the CPU here: only cheap ops)
    export(Ok(), os.path.join(root, "ok_fp16"), 2, True, half=True)
    # a fixed batch: smaller batches are zero-padded by the translator, larger ones refused
    export(Ok(), os.path.join(root, "fixed"), 4, False)
    # the manifest wrongly claims a dynamic batch: the graph's own reshape fails for B != 4
    export(FixedBatchReshape(), os.path.join(root, "reshape"), 4, True)
    export(Oom(), os.path.join(root, "oom"), 1, True)
