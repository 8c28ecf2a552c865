"""Fetch the published MuseTalk 1.5 inference files and verify them.

    python3 -m musetalk_models.download --dest DIR [--only unet,vae,whisper,bisenet,dwpose] [--mirror URL] [--manifest FILE]

Files come from the manifest shipped in this package (`download_manifest.json`). Each download
goes to `<file>.part`, is checked (size and sha256 where the manifest knows them, otherwise
against the sha256 recorded in `DIR/musetalk-models.lock.json` by the first download) and only
then renamed into place. A file already present is verified the same way and not fetched again.
`--mirror URL` fetches `URL/<dest path>` instead of the published address (an offline mirror).
"""
from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .weights import sha256_of

LOCK_NAME = "musetalk-models.lock.json"
DEFAULT_MANIFEST = Path(__file__).with_name("download_manifest.json")


class DownloadError(RuntimeError):
    """A file could not be fetched or does not verify (names url, file, expected and actual)."""


@dataclass(frozen=True)
class FileSpec:
    group: str
    dest: str
    url: str
    size: int | None = None
    sha256: str | None = None
    sha256_prefix: str | None = None


def read_manifest(path: Path = DEFAULT_MANIFEST) -> list[FileSpec]:
    raw = json.loads(Path(path).read_text())
    return [FileSpec(**{k: v for k, v in f.items() if k in FileSpec.__dataclass_fields__}) for f in raw["files"]]


def _read_lock(dest: Path) -> dict:
    p = dest / LOCK_NAME
    return json.loads(p.read_text()) if p.is_file() else {}


def _write_lock(dest: Path, lock: dict) -> None:
    tmp = dest / (LOCK_NAME + ".tmp")
    tmp.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, dest / LOCK_NAME)


def verify(spec: FileSpec, path: Path, size: int, sha256: str, lock: dict) -> None:
    """Raises DownloadError when size or sha256 disagree with the manifest or the lock file."""
    what = f"{spec.dest} (from {spec.url})"
    if spec.size is not None and size != spec.size:
        raise DownloadError(f"{what}: size {size} bytes, expected {spec.size}")
    if spec.sha256 is not None and sha256 != spec.sha256:
        raise DownloadError(f"{what}: sha256 {sha256}, expected {spec.sha256}")
    if spec.sha256_prefix is not None and not sha256.startswith(spec.sha256_prefix):
        raise DownloadError(f"{what}: sha256 {sha256} does not start with {spec.sha256_prefix}")
    locked = lock.get(spec.dest)
    if locked is not None and locked["sha256"] != sha256:
        raise DownloadError(f"{what}: sha256 {sha256} differs from {locked['sha256']} recorded in {LOCK_NAME} "
                            f"on first download")


def _content_length(resp) -> int | None:
    raw = resp.headers.get("Content-Length")
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _fetch(url: str, part: Path, timeout: float, name: str) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    req = urllib.request.Request(url, headers={"User-Agent": "musetalk-models-download/1"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp, open(part, "wb") as out:
            expected = _content_length(resp)
            # http.client returns b"" (no error) when the peer closes before Content-Length bytes
            while block := resp.read(1 << 20):
                out.write(block)
                h.update(block)
                size += len(block)
    except urllib.error.HTTPError as e:
        raise DownloadError(f"{url}: HTTP {e.code} {e.reason}") from e
    except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
        raise DownloadError(f"{url}: {getattr(e, 'reason', None) or e!r}") from e
    if expected is not None and size != expected:
        raise DownloadError(f"{name} (from {url}): truncated download: Content-Length {expected} bytes, got {size}")
    return size, h.hexdigest()


def download(dest: Path, specs: list[FileSpec], mirror: str | None = None, timeout: float = 60.0,
             log=print) -> dict:
    dest.mkdir(parents=True, exist_ok=True)
    lock = _read_lock(dest)
    for spec in specs:
        target = dest / spec.dest
        url = f"{mirror.rstrip('/')}/{spec.dest}" if mirror else spec.url
        if target.is_file():
            sha = sha256_of(target)
            verify(spec, target, target.stat().st_size, sha, lock)
            log(f"ok       {spec.dest} (already present, verified)")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            part = target.with_name(target.name + ".part")
            try:
                size, sha = _fetch(url, part, timeout, spec.dest)
                verify(spec, part, size, sha, lock)
            except BaseException:  # also Ctrl-C and unforeseen errors: never leave a .part behind
                part.unlink(missing_ok=True)
                raise
            os.replace(part, target)
            log(f"fetched  {spec.dest} ({size} bytes, sha256 {sha})")
        if spec.dest not in lock:
            lock[spec.dest] = {"sha256": sha, "size": target.stat().st_size, "url": spec.url,
                               "recorded_because": "checksum" if spec.sha256 else "no sha256 in manifest"}
            _write_lock(dest, lock)
    return lock


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m musetalk_models.download", description=__doc__.split("\n\n")[0])
    p.add_argument("--dest", required=True, help="directory laid out like MuseTalk's ./models/")
    p.add_argument("--only", help="comma-separated groups: unet,vae,whisper,bisenet,dwpose (default all)")
    p.add_argument("--mirror", help="base URL serving <dest path> for every file (offline mirror)")
    p.add_argument("--manifest", default=str(DEFAULT_MANIFEST), help="file list (default: the packaged one)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per network read")
    args = p.parse_args(argv)
    specs = read_manifest(Path(args.manifest))
    if args.only:
        groups = {g.strip() for g in args.only.split(",") if g.strip()}
        unknown = groups - {s.group for s in specs}
        if unknown:
            p.error(f"--only: unknown groups {sorted(unknown)}")
        specs = [s for s in specs if s.group in groups]
    try:
        download(Path(args.dest), specs, args.mirror, args.timeout)
    except (DownloadError, urllib.error.URLError, http.client.HTTPException, OSError) as e:
        # one line, no traceback: these are network/disk conditions, not bugs
        msg = str(e) if isinstance(e, DownloadError) else f"{type(e).__name__}: {e}"
        print(f"download failed: {' '.join(msg.split())}", file=sys.stderr)
        return 1
    print(f"all {len(specs)} files verified in {args.dest} (lock: {Path(args.dest) / LOCK_NAME})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
