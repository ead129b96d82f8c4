"""Builds what users install: wheel + sdist, the frozen Linux app, and the air-gapped bundles.

    python packaging/build.py wheel   [--out dist]
    python packaging/build.py frozen  [--out dist]
    python packaging/build.py bundle  [--out dist]   # full (with Qt) and headless (signer, no Qt)
    python packaging/build.py all     [--out dist]

Every artifact's size is written to ``<out>/artifacts.json`` so the release notes (and the closing note of the
packaging issue) quote measured figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"


def _run(*cmd: str | Path, cwd: Path = ROOT) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=cwd, check=True)


def _version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "ics_workbench" / "__init__.py").read_text(), namespace)
    return namespace["__version__"]


def _size(path: Path) -> int:
    """Bytes on disk, counting each file once (the frozen app links some libraries under two names)."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _record(out: Path, name: str, path: Path) -> None:
    manifest = out / "artifacts.json"
    data = json.loads(manifest.read_text()) if manifest.exists() else {}
    data[name] = {"path": str(path.relative_to(out)), "bytes": _size(path)}
    manifest.write_text(json.dumps(data, indent=2) + "\n")
    print(f"{name}: {path} ({_size(path) / 1e6:.1f} MB)")


def build_wheel(out: Path) -> Path:
    """Wheel and sdist through the PEP 517 backend pinned in pyproject.toml."""
    dist = out / "python"
    shutil.rmtree(dist, ignore_errors=True)
    _run(sys.executable, "-m", "build", "--outdir", dist, ROOT)
    wheel = next(dist.glob("ics_workbench-*.whl"))
    sdist = next(dist.glob("ics_workbench-*.tar.gz"))
    _record(out, "wheel", wheel)
    _record(out, "sdist", sdist)
    return wheel


def _requirements(extra: str | None) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    if extra:
        requirements += project["optional-dependencies"][extra]
    return requirements


def build_bundle(out: Path, wheel: Path, *, headless: bool) -> Path:
    """A folder (and .tar.gz) with every wheel needed and an install script that uses no network.

    Wheels are built/downloaded here, on a connected machine, for this Python and platform; the install script
    checks the interpreter version and the checksums before installing anything.
    """
    name = f"ics-workbench-airgap-{'headless' if headless else 'full'}-{_version()}"
    bundle = out / name
    shutil.rmtree(bundle, ignore_errors=True)
    wheelhouse = bundle / "wheelhouse"
    wheelhouse.mkdir(parents=True)
    requirements = _requirements(None if headless else "gui")
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir", wheelhouse, *requirements)
    shutil.copy2(wheel, wheelhouse / wheel.name)
    shutil.copy2(PACKAGING / "airgap" / "install.sh", bundle / "install.sh")
    if headless:
        qt = sorted(p.name for p in wheelhouse.glob("*") if p.name.lower().startswith(("pyside6", "shiboken6")))
        if qt:
            raise SystemExit(f"headless bundle must not contain Qt, found {qt}")
    sums = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and path.name != "SHA256SUMS":
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            sums.append(f"{digest}  {path.relative_to(bundle)}")
    (bundle / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    archive = out / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(bundle, arcname=name)
    _record(out, f"bundle-{'headless' if headless else 'full'}", archive)
    return bundle


def build_frozen(out: Path) -> Path:
    """One-folder PyInstaller build (starts faster than one-file, which unpacks itself on every start)."""
    work = out / "pyinstaller-work"
    dist = out / "frozen"
    shutil.rmtree(dist, ignore_errors=True)
    _run(
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        dist,
        "--workpath",
        work,
        PACKAGING / "ics-workbench.spec",
    )
    app = dist / "ics-workbench"
    share = app / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    (share / "icons" / "hicolor" / "scalable" / "apps").mkdir(parents=True, exist_ok=True)
    shutil.copy2(PACKAGING / "linux" / "ics-workbench.desktop", share / "applications")
    shutil.copy2(PACKAGING / "linux" / "ics-workbench.svg", share / "icons" / "hicolor" / "scalable" / "apps")
    _record(out, "frozen", app)
    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["wheel", "frozen", "bundle", "all"])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.what in ("wheel", "bundle", "all"):
        wheel = build_wheel(out)
        if args.what in ("bundle", "all"):
            build_bundle(out, wheel, headless=False)
            build_bundle(out, wheel, headless=True)
    if args.what in ("frozen", "all"):
        build_frozen(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
