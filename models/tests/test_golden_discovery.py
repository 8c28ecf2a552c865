"""The conftest hook: absent golden cases are skipped by name, and a run that found none fails."""
from pathlib import Path

CONFTEST = (Path(__file__).parent / "conftest.py").read_text()
CASE_TEST = """
from conftest import golden_case

def test_uses_unet_case():
    d = golden_case("unet", "case.safetensors")
    assert (d / "case.safetensors").is_file()
"""


def test_goldenRun_withNoCaseFound_skipsByNameAndFails(pytester, monkeypatch):
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
