"""Reading published checkpoints as they are, with strict key and shape checks.

Formats: `torch.save` pickles of a plain state dict (`unet.pth`, `diffusion_pytorch_model.bin`,
`79999_iter.pth`, `pytorch_model.bin`), read with `weights_only=True` so no code in a pickle runs,
and `.safetensors`.

Every rename a loader applies is listed in a `Rename` table next to the network it serves and is
reported in the error message when something still does not match.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

import torch
from torch import nn


class WeightLoadError(ValueError):
    """A checkpoint does not fit the network built from its config (names the file and every key)."""


@dataclass(frozen=True)
class Rename:
    """One checkpoint-to-module key rewrite: `old` suffix/infix replaced by `new`, and why."""

    old: str
    new: str
    why: str


def sha256_of(path: str | Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """Reads a state dict from `.safetensors` or a `torch.save` pickle (weights_only)."""
    path = Path(path)
    if not path.is_file():
        raise WeightLoadError(f"weights file not found: {path}")
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        try:
            state = load_file(str(path), device="cpu")
        except Exception as e:  # safetensors raises its own error types
            raise WeightLoadError(f"{path}: not a readable .safetensors file: {e}") from e
    else:
        try:
            state = torch.load(str(path), map_location="cpu", weights_only=True)
        except Exception as e:
            raise WeightLoadError(f"{path}: not a readable torch.save state dict (weights_only=True): {e}") from e
    if not isinstance(state, Mapping):
        raise WeightLoadError(f"{path}: expected a state dict (mapping of name -> tensor), got {type(state).__name__}")
    bad = [k for k, v in state.items() if not isinstance(v, torch.Tensor)]
    if bad:
        raise WeightLoadError(f"{path}: entries that are not tensors: {_preview(bad)}")
    return dict(state)


def _preview(keys: Iterable[str], limit: int = 12) -> str:
    keys = sorted(keys)
    shown = ", ".join(keys[:limit])
    return f"{shown} (+{len(keys) - limit} more)" if len(keys) > limit else shown


def check_state_dict(expected: Mapping[str, torch.Size | tuple], state: Mapping[str, torch.Tensor],
                     source: str, renames: Iterable[Rename] = ()) -> None:
    """Raises WeightLoadError naming missing/unexpected keys and shape mismatches."""
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    mismatched = [f"{k}: checkpoint {tuple(state[k].shape)} vs model {tuple(expected[k])}"
                  for k in expected if k in state and tuple(state[k].shape) != tuple(expected[k])]
    if not (missing or unexpected or mismatched):
        return
    lines = [f"{source}: checkpoint does not match the network "
             f"({len(state)} keys in file, {len(expected)} expected)"]
    if missing:
        lines.append(f"  missing {len(missing)}: {_preview(missing)}")
    if unexpected:
        lines.append(f"  unexpected {len(unexpected)}: {_preview(unexpected)}")
    if mismatched:
        lines.append(f"  shape mismatches {len(mismatched)}: " + "; ".join(mismatched[:12]))
    applied = list(renames)
    if applied:
        lines.append("  renames applied: " + "; ".join(f"{r.old} -> {r.new}" for r in applied))
    raise WeightLoadError("\n".join(lines))


def apply_renames(state: Mapping[str, torch.Tensor], renames: Iterable[Rename],
                  reshape: Callable[[str, torch.Tensor], torch.Tensor] | None = None,
                  source: str = "checkpoint") -> dict[str, torch.Tensor]:
    """Rewrites keys by `renames`; two keys that end up with the same name are an error, not an overwrite."""
    renames = list(renames)
    out: dict[str, torch.Tensor] = {}
    origin: dict[str, str] = {}
    for key, value in state.items():
        new_key = key
        for r in renames:
            if r.old in new_key:
                new_key = new_key.replace(r.old, r.new)
        if new_key in out:
            raise WeightLoadError(f"{source}: keys {origin[new_key]!r} and {key!r} both map to {new_key!r} "
                                  f"after renames ({'; '.join(f'{r.old} -> {r.new}' for r in renames)})")
        if reshape is not None:
            value = reshape(new_key, value)
        out[new_key] = value
        origin[new_key] = key
    return out


@torch.no_grad()
def load_into(module: nn.Module, state: Mapping[str, torch.Tensor], source: str,
              renames: Iterable[Rename] = ()) -> nn.Module:
    """Strictly copies `state` into `module` after checking names and shapes."""
    expected = {k: v.shape for k, v in module.state_dict().items()}
    check_state_dict(expected, state, source, renames)
    module.load_state_dict(state, strict=True)
    return module
