"""requirements.txt lists every third-party package that the models' Python runs: the imports of
models/ (package, tests, tools), of the Python files the Java tests run, and of the Python snippets
inline in the Java tests (python -c). The build runs all of them on the venv made from
requirements.txt alone, so a package missing here would fail only on a fresh machine."""
import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = MODELS_DIR.parent
# The SAM transform script (functions/aws) runs on the system python3 with the AWS tools, which are not
# in the local pip indexes: not the models' Python.
SYSTEM_TOOL_SCRIPTS = {REPO_ROOT / "functions/aws/src/test/resources/deploy/sam_transform.py"}
FIRST_PARTY = {"musetalk_models", "conftest"}
JAVA_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
SNIPPET_IMPORT = re.compile(r"(?:^|;|\\n)\s*(?:import\s+([\w.]+(?:\s*,\s*[\w.]+)*)|from\s+([\w.]+)\s+import)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def listed_requirements() -> set[str]:
    names = set()
    for line in (MODELS_DIR / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(_canonical(re.match(r"[A-Za-z0-9._-]+", line).group(0)))
    return names


def python_imports(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def java_snippet_imports(source: str) -> set[str]:
    """Top-level modules imported by Python code inside the string literals of a Java file."""
    names = set()
    for literal in JAVA_STRING.findall(source):
        for imported, imported_from in SNIPPET_IMPORT.findall(literal):
            for name in (imported.split(",") if imported else [imported_from]):
                names.add(name.strip().split(".")[0])
    return names


def imports_by_file() -> dict[Path, set[str]]:
    found = {}
    python_files = [*MODELS_DIR.rglob("*.py"), *REPO_ROOT.glob("functions/*/src/test/resources/**/*.py")]
    for f in python_files:
        if f not in SYSTEM_TOOL_SCRIPTS and "__pycache__" not in f.parts:
            found[f] = python_imports(f.read_text())
    for f in REPO_ROOT.glob("functions/*/src/test/java/**/*.java"):
        text = f.read_text()
        if "ModelsPython" in text:  # the Java tests that run the models' Python
            found[f] = java_snippet_imports(text)
    return found


def third_party(modules: set[str]) -> set[str]:
    return {m for m in modules if m not in sys.stdlib_module_names and m not in FIRST_PARTY}


def test_javaSnippetImports_findsEveryImportForm():
    java = ('python("import onnx, sys\\n" + "from onnx import helper\\n"); '
            'run("-c", "import sys; from safetensors.numpy import load_file; print(1)");')
    assert java_snippet_imports(java) == {"onnx", "sys", "safetensors"}


def test_everyThirdPartyImport_isListedInRequirements():
    listed = listed_requirements()
    distributions = packages_distributions()
    missing = {}
    scanned = imports_by_file()
    for f, modules in scanned.items():
        for m in third_party(modules):
            dists = {_canonical(d) for d in distributions.get(m, [m])}
            if not dists & listed:
                missing.setdefault(m, []).append(str(f.relative_to(REPO_ROOT)))
    assert not missing, f"imported but not in models/requirements.txt: {missing}"
    # The scan saw what it must: the DWPose writer's onnx and the Java tests' inline snippets.
    assert "onnx" in scanned[MODELS_DIR / "musetalk_models" / "dwpose.py"]
    assert any(f.suffix == ".java" and "safetensors" in m for f, m in scanned.items())
