"""Build the ICS provider daemon from the project's `devnet/` Go module, once per (ICS, go.sum, Go) key.

Why a cache outside ``ICS_WORKBENCH_HOME``: tests point that variable at a fresh directory per test, and a
cold build takes minutes; the binary only depends on the inputs in the cache key, so it is shared by every run
on the machine. The build writes to a temporary name and renames it into place, so a crashed or parallel
build never leaves a half-written binary where the next run would pick it up.
"""

from __future__ import annotations

import fcntl
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ics_workbench.errors import WorkbenchError

log = logging.getLogger(__name__)

ICS_VERSION = "v7.0.0"
"""The release the devnet runs when no version is asked for."""
ICS_VERSIONS = ("v4.2.0", "v5.2.0", "v6.4.1", "v7.0.0")
"""Every ICS release the devnet builds: each has a wrapper module, ``devnet/`` for v7 and ``devnet/v<major>/``
for the others (their go.mod mirrors ICS's own at that tag, including v4's extra ``golang.org/x/exp`` replace)."""
# ICS v7.0.0 pins bytedance/sonic v1.12.3, whose linknames break on Go >= 1.26 (and 1.24.0); upstream builds
# it with Go 1.23. v4.2.0, v5.2.0 and v6.4.1 build with the same toolchain, so all versions share one module
# cache and one build cache (the SDK/CometBFT packages they have in common compile once). `GOTOOLCHAIN` fetches this
# exact toolchain through the Go module proxy when missing.
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


def check_version(version: str) -> str:
    if version not in ICS_VERSIONS:
        raise DevnetBuildError(f"the devnet builds ICS {', '.join(ICS_VERSIONS)}; not {version!r}")
    return version


def module_dir(version: str = ICS_VERSION) -> Path:
    """The wrapper Go module of ICS ``version`` at the repository root (not shipped in wheels)."""
    root = Path(__file__).resolve().parents[2] / "devnet"
    major = check_version(version).split(".")[0]
    return root if version == ICS_VERSION else root / major


def cache_root() -> Path:
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ics-workbench-devnet"


def cache_key(go_sum: bytes, version: str = ICS_VERSION) -> str:
    """ICS version + go.sum digest + Go toolchain: any change to what goes into the binary gives a new key."""
    digest = hashlib.sha256(go_sum).hexdigest()[:16]
    return f"ics-{version}-{GO_TOOLCHAIN}-gosum-{digest}"


def _read_go_sum(version: str = ICS_VERSION) -> bytes:
    go_sum = module_dir(version) / "go.sum"
    try:
        return go_sum.read_bytes()
    except OSError as exc:
        raise DevnetBuildError(
            f"cannot read {go_sum}: {exc.strerror}. The devnet Go module ships only with a source checkout."
        ) from exc


def _check_name(name: str) -> None:
    if name not in PACKAGES:
        raise DevnetBuildError(f"unknown devnet binary {name!r}; expected one of {sorted(PACKAGES)}")


def cached_binary_path(name: str = PROVIDER_BINARY, version: str = ICS_VERSION) -> Path:
    """Where the binary for the current inputs lives (whether or not it has been built yet)."""
    _check_name(name)
    return cache_root() / cache_key(_read_go_sum(version), version) / name


def find_binary(name: str = PROVIDER_BINARY, version: str = ICS_VERSION) -> Path | None:
    """An explicitly configured binary (``ICS_WORKBENCH_DEVNET_BINARY`` for the provider,
    ``ICS_WORKBENCH_DEVNET_CONSUMER_BINARY`` for the consumer; default version only) or the cached build."""
    _check_name(name)
    variable = _BINARY_ENVS[name]
    explicit = os.environ.get(variable) if version == ICS_VERSION else None
    if explicit:
        path = Path(explicit)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise DevnetBuildError(f"{variable}={explicit} is not an executable file")
        return path
    path = cached_binary_path(name, version)
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


def _run_go(args: list[str], env: dict[str, str], what: str, version: str = ICS_VERSION) -> str:
    try:
        out = subprocess.run(args, cwd=module_dir(version), env=env, capture_output=True, text=True)
    except OSError as exc:
        raise DevnetBuildError(f"{what} failed to start: {exc}") from exc
    if out.returncode != 0:
        tail = "\n".join((out.stderr or out.stdout).strip().splitlines()[-25:])
        raise DevnetBuildError(f"{what} failed (exit {out.returncode}):\n{tail}")
    return out.stdout


@contextmanager
def build_lock(say: Progress) -> Iterator[None]:
    """One devnet build at a time on this machine: concurrent test processes (or versions) queue here instead
    of compiling the same binary twice or fighting for the 2 cores; the lock dies with its holder."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".build.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("another devnet build is running; waiting for it")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_binary(
    progress: Progress | None = None, force: bool = False, name: str = PROVIDER_BINARY, version: str = ICS_VERSION
) -> BuildResult:
    """Return the binary `name` (provider by default) of ICS `version`, building it first if this machine has
    no build for the current inputs. Raises DevnetBuildError (never returns a stale or partial binary)."""
    say = progress or (lambda message: log.info("%s", message))
    started = time.monotonic()
    if not force:
        existing = find_binary(name, version)
        if existing is not None:
            return BuildResult(existing, cached=True, seconds=time.monotonic() - started)
    _go_executable()  # no Go: fail before touching the cache
    with build_lock(say):
        if not force:
            existing = find_binary(name, version)
            if existing is not None:  # built by the process we waited for
                return BuildResult(existing, cached=True, seconds=time.monotonic() - started)
        return _build(say, name, version, started)


def _build(say: Progress, name: str, version: str, started: float) -> BuildResult:
    target = cached_binary_path(name, version)
    go, env = _select_go(say)
    say(f"building {name} (ICS {version}, {GO_TOOLCHAIN}, CGO off); the first build takes minutes")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _run_go(
            [go, "build", "-trimpath", "-o", str(tmp), PACKAGES[name]], env, f"go build of {name} {version}", version
        )
        tmp.chmod(0o755)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    seconds = time.monotonic() - started
    say(f"built {target} in {seconds:.0f}s")
    return BuildResult(target, cached=False, seconds=seconds)
