"""requirements.txt lists every third-party package that the models' Python runs: the imports of
models/ (package, tests, tools), of the Python files the Java tests run, and of the Python snippets
inline in the Java tests (python -c). The build runs all of them on the venv made from
requirements.txt alone, so a package missing here would fail only on a fresh machine. A developer tool
that the build never runs may instead take a package from its own requirements file (TOOL_REQUIREMENTS)."""
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
# Developer tools the build does not run, and the requirements file each installs on top of requirements.txt.
TOOL_REQUIREMENTS = {MODELS_DIR / "musetalk_models" / "golden_set.py": MODELS_DIR / "requirements-golden.txt"}
# The tools' import names whose distribution is named otherwise: the build's venv lacks them, so it cannot tell.
TOOL_DISTRIBUTIONS = {"cv2": "opencv-python-headless", "PIL": "pillow"}
JAVA_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
SNIPPET_IMPORT = re.compile(r"(?:^|;|\\n)\s*(?:import\s+([\w.]+(?:\s*,\s*[\w.]+)*)|from\s+([\w.]+)\s+import)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def listed_requirements(path: Path = MODELS_DIR / "requirements.txt") -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
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


def missing_requirements(scanned: dict[Path, set[str]]) -> dict[str, list[str]]:
    """Third-party module -> the files importing it that neither requirements.txt nor their tool's file lists."""
    listed = listed_requirements()
    distributions = packages_distributions()
    missing = {}
    for f, modules in scanned.items():
        allowed = listed | (listed_requirements(TOOL_REQUIREMENTS[f]) if f in TOOL_REQUIREMENTS else set())
        for m in third_party(modules):
            dists = {_canonical(d) for d in distributions.get(m, [TOOL_DISTRIBUTIONS.get(m, m)])}
            if not dists & allowed:
                missing.setdefault(m, []).append(str(f.relative_to(REPO_ROOT)))
    return missing


def test_everyThirdPartyImport_isListedInRequirements():
    scanned = imports_by_file()
    missing = missing_requirements(scanned)
    assert not missing, f"imported but not in models/requirements.txt (nor in a tool's own file): {missing}"
    # The scan saw what it must: the DWPose writer's onnx and the Java tests' inline snippets.
    assert "onnx" in scanned[MODELS_DIR / "musetalk_models" / "dwpose.py"]
    assert any(f.suffix == ".java" and "safetensors" in m for f, m in scanned.items())


def test_toolRequirements_coverOnlyTheirTool():
    tool, = TOOL_REQUIREMENTS
    assert {"cv2", "PIL"} <= imports_by_file()[tool]  # the generator's imaging packages, from its own file
    other = MODELS_DIR / "musetalk_models" / "export.py"
    assert missing_requirements({tool: {"cv2", "PIL", "numpy"}}) == {}
    assert missing_requirements({other: {"cv2", "numpy"}}) == {"cv2": ["models/musetalk_models/export.py"]}
