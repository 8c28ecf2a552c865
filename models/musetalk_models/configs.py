"""Parsing shared by the diffusers-style json configs (musetalk.json, sd-vae config.json)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, TypeVar

T = TypeVar("T")


def read_json(path: str | Path) -> dict:
    return json.loads(Path(path).read_text())


def parse_config(cls: type[T], raw: dict, source: str, class_name: str) -> T:
    """`_class_name` must be `class_name` (when given); fields of the dataclass `cls` are taken from
    `raw` (json lists become tuples), every other key goes to `extra`; only act_fn 'silu' is built."""
    if raw.get("_class_name", class_name) != class_name:
        raise ValueError(f"{source}: _class_name {raw['_class_name']!r} is not {class_name}")
    known = {f for f in cls.__dataclass_fields__ if f != "extra"}
    kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in raw.items() if k in known}
    cfg = cls(**kwargs, extra={k: v for k, v in raw.items() if k not in known})
    if cfg.act_fn != "silu":
        raise ValueError(f"{source}: act_fn {cfg.act_fn!r} is not supported (only 'silu')")
    return cfg


def check_block_types(source: str, what: str, types: Iterable[str], supported: tuple[str, ...]) -> None:
    for t in types:
        if t not in supported:
            raise ValueError(f"{source}: {what} {t!r} is not supported")
