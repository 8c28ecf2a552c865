"""Golden-dir discovery. MUSETALK_GOLDEN_DIR, else ../shared/golden/musetalk15 relative to the repo root.

A case whose files are absent is skipped with its name; the run fails if golden tests were
selected and not a single golden case was found (a missing directory must not pass silently).
With MUSETALK_GOLDEN_REQUIRED=1 (or true), as CI sets it, an absent case FAILS with its name instead
of skipping: there no golden case may be left out.
"""
import os
import sys
from pathlib import Path

import pytest

MODELS_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = MODELS_DIR.parent
sys.path.insert(0, str(MODELS_DIR))

_found: set[str] = set()
_requested: set[str] = set()


def golden_root() -> Path:
    env = os.environ.get("MUSETALK_GOLDEN_DIR")
    return Path(env) if env else (REPO_ROOT / ".." / "shared" / "golden" / "musetalk15").resolve()


def golden_required() -> bool:
    return os.environ.get("MUSETALK_GOLDEN_REQUIRED", "").strip().lower() in ("1", "true")


def _absent(case: str, missing: Path) -> None:
    msg = f"golden case '{case}' absent: {missing} not found"
    if golden_required():
        pytest.fail(f"{msg} (MUSETALK_GOLDEN_REQUIRED is set: golden cases must not skip)", pytrace=False)
    pytest.skip(msg)


def golden_case(case: str, *files: str) -> Path:
    """Path of golden/<case>; skips (naming the case and the missing file) when absent, or fails
    when MUSETALK_GOLDEN_REQUIRED is 1/true."""
    _requested.add(case)
    d = golden_root() / case
    if not d.is_dir():
        _absent(case, d)
    for f in files:
        if not (d / f).exists():
            _absent(case, d / f)
    _found.add(case)
    return d


@pytest.fixture
def golden():
    return golden_case


def pytest_sessionfinish(session, exitstatus):
    if _requested and not _found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        msg = (f"no golden case found under {golden_root()} (set MUSETALK_GOLDEN_DIR): "
               f"requested {sorted(_requested)}")
        if reporter is not None:
            reporter.write_line(f"ERROR: {msg}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


pytest_plugins = ["pytester"]
