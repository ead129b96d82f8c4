"""The Qt-free-core rule, checked by running import-linter's contracts from pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_never_imports_qt() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the dev dependencies"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_cli_runs_without_pyside6() -> None:
    """The headless signer install has no Qt: the CLI must start with PySide6 unimportable."""
    code = (
        "import sys; sys.modules['PySide6'] = None; sys.modules['shiboken6'] = None\n"
        "from ics_workbench.cli import main\n"
        "raise SystemExit(main(['--help']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "ics-workbench" in result.stdout


_COSMPY_TOP_LEVEL = ("cosmos", "tendermint", "ibc", "gogoproto", "amino", "cosmos_proto")


def test_cosmpy_top_level_packages_are_imported_only_after_the_path_is_set() -> None:
    """cosmpy's generated ``cosmos.*`` packages are importable only once ``ics_workbench.proto`` (or
    ``cosmpy.protos``) has been imported; an import sorter moving them above that line breaks the CLI with
    ModuleNotFoundError in a fresh process, which in-process tests (where something imported it earlier) miss."""
    import ast

    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in sorted((root / "ics_workbench").rglob("*.py")):
        if "proto/gen" in path.as_posix():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        path_set = False
        for node in tree.body:
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            if any(n == "cosmpy.protos" or n == "ics_workbench.proto" or n.startswith("ics_workbench.proto.")
                   for n in names):
                path_set = True
            elif not path_set and any(n.split(".")[0] in _COSMPY_TOP_LEVEL for n in names):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not offenders, "cosmpy packages imported before ics_workbench.proto: " + ", ".join(offenders)
