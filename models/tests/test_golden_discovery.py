"""The conftest hook: absent golden cases are skipped by name, and a run that found none fails;
with MUSETALK_GOLDEN_REQUIRED set (CI) an absent case fails by name."""
import pytest
from pathlib import Path

CONFTEST = (Path(__file__).parent / "conftest.py").read_text()
CASE_TEST = """
from conftest import golden_case

def test_uses_unet_case():
    d = golden_case("unet", "case.safetensors")
    assert (d / "case.safetensors").is_file()
"""


def test_goldenRun_withNoCaseFound_skipsByNameAndFails(pytester, monkeypatch):
    monkeypatch.delenv("MUSETALK_GOLDEN_REQUIRED", raising=False)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_case=CASE_TEST)
    monkeypatch.setenv("MUSETALK_GOLDEN_DIR", str(pytester.path / "absent"))
    result = pytester.runpytest_subprocess("-rs")
    out = result.stdout.str()
    assert "golden case 'unet' absent" in out
    assert "no golden case found under" in out
    assert result.ret == 1


def test_goldenRun_withTheCasePresent_passes(pytester, monkeypatch):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_case=CASE_TEST)
    (pytester.path / "golden" / "unet").mkdir(parents=True)
    (pytester.path / "golden" / "unet" / "case.safetensors").write_bytes(b"x")
    monkeypatch.setenv("MUSETALK_GOLDEN_DIR", str(pytester.path / "golden"))
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    assert result.ret == 0


@pytest.mark.parametrize("value", ["1", "true", "TRUE", " true "])
def test_goldenRequired_withCaseAbsent_failsNamingTheCaseInsteadOfSkipping(pytester, monkeypatch, value):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_case=CASE_TEST)
    (pytester.path / "golden" / "unet").mkdir(parents=True)  # the case dir exists, its file does not
    monkeypatch.setenv("MUSETALK_GOLDEN_DIR", str(pytester.path / "golden"))
    monkeypatch.setenv("MUSETALK_GOLDEN_REQUIRED", value)
    result = pytester.runpytest_subprocess("-rfs")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "golden case 'unet' absent" in out and "case.safetensors not found" in out
    assert "MUSETALK_GOLDEN_REQUIRED" in out
    assert result.ret == 1


def test_goldenRequiredOff_withCaseAbsent_stillSkipsByName(pytester, monkeypatch):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_case=CASE_TEST + """
def test_other():
    golden_case("vae")
""")
    (pytester.path / "golden" / "vae").mkdir(parents=True)
    monkeypatch.setenv("MUSETALK_GOLDEN_DIR", str(pytester.path / "golden"))
    monkeypatch.setenv("MUSETALK_GOLDEN_REQUIRED", "0")
    result = pytester.runpytest_subprocess("-rs")
    result.assert_outcomes(passed=1, skipped=1)
    assert "golden case 'unet' absent" in result.stdout.str()
    assert result.ret == 0
