"""Build the ICS provider daemon from the project's `devnet/` Go module, once per (ICS, go.sum, Go) key.

Why a cache outside ``ICS_WORKBENCH_HOME``: tests point that variable at a fresh directory per test, and a
cold build takes minutes; the binary only depends on the inputs in the cache key, so it is shared by every run
on the machine. The build writes to a temporary name and renames it into place, so a crashed or parallel
build never leaves a half-written binary where the next run would pick it up.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ics_workbench.errors import WorkbenchError

log = logging.getLogger(__name__)

ICS_VERSION = "v7.0.0"
ICS_MODULE = "github.com/cosmos/interchain-security/v7"
# ICS v7.0.0 pins bytedance/sonic v1.12.3, whose linknames break on Go >= 1.26 (and 1.24.0); upstream builds
# it with Go 1.23. `GOTOOLCHAIN` fetches this exact toolchain through the Go module proxy when missing.
GO_TOOLCHAIN = "go1.23.12"
PROVIDER_BINARY = "interchain-security-pd"
CONSUMER_BINARY = "interchain-security-cd"
# Binary name -> main package inside the `devnet/` module.
PACKAGES = {PROVIDER_BINARY: ".", CONSUMER_BINARY: "./consumer"}
CACHE_ENV = "ICS_WORKBENCH_DEVNET_CACHE"
BINARY_ENV = "ICS_WORKBENCH_DEVNET_BINARY"
CONSUMER_BINARY_ENV = "ICS_WORKBENCH_DEVNET_CONSUMER_BINARY"
_BINARY_ENVS = {PROVIDER_BINARY: BINARY_ENV, CONSUMER_BINARY: CONSUMER_BINARY_ENV}
# GOTOOLCHAIN switching needs a bootstrap Go of at least this version; older ones unpack the toolchain module.
MIN_BOOTSTRAP_GO = (1, 21)

Progress = Callable[[str], None]


class DevnetBuildError(WorkbenchError):
    """The provider binary could not be built (Go missing or too old, module download or compile failure)."""


@dataclass(frozen=True)
class BuildResult:
    binary: Path
    cached: bool
    seconds: float


def module_dir() -> Path:
    """The `devnet/` Go module at the repository root (it is not shipped in wheels)."""
    return Path(__file__).resolve().parents[2] / "devnet"


def cache_root() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ics-workbench-devnet"


def cache_key(go_sum: bytes) -> str:
    """ICS version + go.sum digest + Go toolchain: any change to what goes into the binary gives a new key."""
    digest = hashlib.sha256(go_sum).hexdigest()[:16]
    return f"ics-{ICS_VERSION}-{GO_TOOLCHAIN}-gosum-{digest}"


def _read_go_sum() -> bytes:
    go_sum = module_dir() / "go.sum"
    try:
        return go_sum.read_bytes()
    except OSError as exc:
        raise DevnetBuildError(
            f"cannot read {go_sum}: {exc.strerror}. The devnet Go module ships only with a source checkout."
        ) from exc


def _check_name(name: str) -> None:
    if name not in PACKAGES:
        raise DevnetBuildError(f"unknown devnet binary {name!r}; expected one of {sorted(PACKAGES)}")


def cached_binary_path(name: str = PROVIDER_BINARY) -> Path:
    """Where the binary for the current inputs lives (whether or not it has been built yet)."""
    _check_name(name)
    return cache_root() / cache_key(_read_go_sum()) / name


def find_binary(name: str = PROVIDER_BINARY) -> Path | None:
    """An explicitly configured binary (``ICS_WORKBENCH_DEVNET_BINARY`` for the provider,
    ``ICS_WORKBENCH_DEVNET_CONSUMER_BINARY`` for the consumer) or the cached build, if present."""
    _check_name(name)
    variable = _BINARY_ENVS[name]
    explicit = os.environ.get(variable)
    if explicit:
        path = Path(explicit)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise DevnetBuildError(f"{variable}={explicit} is not an executable file")
        return path
    path = cached_binary_path(name)
    return path if path.is_file() else None


def go_environment() -> dict[str, str]:
    """The environment every devnet Go command runs with.

    go.sum is committed and `-mod=readonly` makes Go verify every download against it without writing. The
    checksum database answers 404 for the ICS modules, so it is bypassed for exactly those paths (go.sum still
    pins their hashes); the toolchain download itself stays verified by the checksum database.
    """
    env = dict(os.environ)
    env["GOTOOLCHAIN"] = GO_TOOLCHAIN
    env["CGO_ENABLED"] = "0"
    flags = [f for f in env.get("GOFLAGS", "").split() if not f.startswith("-mod=")]
    env["GOFLAGS"] = " ".join([*flags, "-mod=readonly"])
    nosumdb = [p for p in env.get("GONOSUMDB", "").split(",") if p]
    env["GONOSUMDB"] = ",".join([*nosumdb, "github.com/cosmos/interchain-security"])
    return env


def _go_executable() -> str:
    go = shutil.which("go")
    if go is None:
        raise DevnetBuildError(
            "Go is not installed (no `go` on PATH). Install any Go (Debian/Ubuntu: `apt-get install golang-go`); "
            f"the build then fetches the {GO_TOOLCHAIN} toolchain it needs through the Go module proxy."
        )
    return go


def _bootstrap_version(go: str) -> tuple[int, int]:
    env = dict(os.environ, GOTOOLCHAIN="local")
    try:
        out = subprocess.run([go, "env", "GOVERSION"], env=env, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DevnetBuildError(f"cannot run {go}: {exc}") from exc
    match = re.match(r"go(\d+)\.(\d+)", out.stdout.strip())
    if out.returncode != 0 or match is None:
        raise DevnetBuildError(f"cannot read the Go version from `{go} env GOVERSION`: {out.stderr.strip()}")
    return int(match[1]), int(match[2])


def _toolchain_arch() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine)
    if arch is None or sys.platform != "linux":
        raise DevnetBuildError(f"no {GO_TOOLCHAIN} toolchain bootstrap for {sys.platform}/{machine}")
    return f"linux-{arch}"


def toolchain_dir() -> Path:
    return cache_root() / f"toolchain-{GO_TOOLCHAIN}"


def bootstrap_toolchain(go: str, say: Progress) -> str:
    """Unpack the pinned toolchain (GO_TOOLCHAIN) with a Go too old for GOTOOLCHAIN switching (e.g. Debian 12's 1.19).

    The toolchain is the Go module ``golang.org/toolchain``; the old `go mod download` fetches it through the
    module proxy and verifies it against the checksum database, exactly as GOTOOLCHAIN would. Module zips
    carry no exec bits, so the tools are made executable after unpacking. Returns the new `go` executable.
    """
    root = toolchain_dir()
    go_bin = root / "bin" / "go"
    if go_bin.is_file():
        return str(go_bin)
    module = f"golang.org/toolchain@v0.0.1-{GO_TOOLCHAIN}.{_toolchain_arch()}"
    say(f"Go at {go} cannot switch toolchains; downloading {module} through the Go module proxy")
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, GO111MODULE="on", GOFLAGS="-mod=mod", GOTOOLCHAIN="local")
        try:
            out = subprocess.run(
                [go, "mod", "download", "-json", module], cwd=scratch, env=env, capture_output=True, text=True
            )
        except OSError as exc:
            raise DevnetBuildError(f"cannot run {go}: {exc}") from exc
        info = json.loads(out.stdout or "{}")
        if out.returncode != 0 or not info.get("Zip") or info.get("Error"):
            raise DevnetBuildError(f"downloading {module} failed: {info.get('Error') or out.stderr.strip()}")
        prefix = module + "/"
        root.parent.mkdir(parents=True, exist_ok=True)
        unpacked = Path(tempfile.mkdtemp(prefix=".toolchain.", dir=root.parent))
        try:
            with zipfile.ZipFile(info["Zip"]) as archive:
                for entry in archive.infolist():
                    if not entry.filename.startswith(prefix) or entry.is_dir():
                        continue
                    relative = entry.filename[len(prefix):]
                    dest = unpacked / relative
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(entry) as source, open(dest, "wb") as sink:
                        shutil.copyfileobj(source, sink)
                    if relative.startswith(("bin/", "pkg/tool/")):
                        dest.chmod(0o755)
            os.replace(unpacked, root)
        finally:
            shutil.rmtree(unpacked, ignore_errors=True)
    return str(go_bin)


def _select_go(say: Progress) -> tuple[str, dict[str, str]]:
    """The `go` executable and environment that build with exactly GO_TOOLCHAIN."""
    go = _go_executable()
    env = go_environment()
    if _bootstrap_version(go) < MIN_BOOTSTRAP_GO:
        go = bootstrap_toolchain(go, say)
        env["GOTOOLCHAIN"] = "local"
    else:
        say(f"checking the {GO_TOOLCHAIN} toolchain (downloaded through the Go module proxy if missing)")
    version = _run_go([go, "env", "GOVERSION"], env, f"selecting Go toolchain {GO_TOOLCHAIN}").strip()
    if version != GO_TOOLCHAIN:
        raise DevnetBuildError(f"the build needs {GO_TOOLCHAIN} but {go} runs {version!r}")
    return go, env


def _run_go(args: list[str], env: dict[str, str], what: str) -> str:
    try:
        out = subprocess.run(args, cwd=module_dir(), env=env, capture_output=True, text=True)
    except OSError as exc:
        raise DevnetBuildError(f"{what} failed to start: {exc}") from exc
    if out.returncode != 0:
        tail = "\n".join((out.stderr or out.stdout).strip().splitlines()[-25:])
        raise DevnetBuildError(f"{what} failed (exit {out.returncode}):\n{tail}")
    return out.stdout


def ensure_binary(
    progress: Progress | None = None, force: bool = False, name: str = PROVIDER_BINARY
) -> BuildResult:
    """Return the binary `name` (provider by default), building it first if this machine has no build for the
    current inputs."""
    say = progress or (lambda message: log.info("%s", message))
    started = time.monotonic()
    if not force:
        existing = find_binary(name)
        if existing is not None:
            return BuildResult(existing, cached=True, seconds=time.monotonic() - started)
    target = cached_binary_path(name)
    go, env = _select_go(say)
    say(f"building {name} (ICS {ICS_VERSION}, {GO_TOOLCHAIN}, CGO off); the first build takes minutes")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _run_go([go, "build", "-trimpath", "-o", str(tmp), PACKAGES[name]], env, f"go build of {name}")
        tmp.chmod(0o755)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    seconds = time.monotonic() - started
    say(f"built {target} in {seconds:.0f}s")
    return BuildResult(target, cached=False, seconds=seconds)
