"""Per-version devnet builds without building: wrapper modules, cache keys, and the one-build-at-a-time lock."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

from ics_workbench.devnet import build


@pytest.mark.parametrize("version", build.ICS_VERSIONS)
def test_each_version_has_its_pinned_wrapper_module(version: str) -> None:
    module = build.module_dir(version)
    go_mod = (module / "go.mod").read_text()
    major = version.split(".")[0]
    assert re.search(
        rf"^\s*(require\s+)?github\.com/cosmos/interchain-security/{major} {re.escape(version)}$", go_mod, re.M
    )
    assert "github.com/syndtr/goleveldb => github.com/syndtr/goleveldb v1.0.1-0.20210819022825-2ae1ddf74ef7" in go_mod
    # ICS v4's own go.mod carries a second replace the build needs
    assert ("golang.org/x/exp => golang.org/x/exp" in go_mod) is (major == "v4")
    for package in build.PACKAGES.values():
        assert (module / package / "main.go").is_file()
    assert (module / "go.sum").stat().st_size > 0


def test_cache_keys_differ_per_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(build.CACHE_ENV, str(tmp_path))
    paths = {build.cached_binary_path(version=v) for v in build.ICS_VERSIONS}
    assert len(paths) == len(build.ICS_VERSIONS)
    assert all(p.parent.name.startswith(f"ics-{v}-{build.GO_TOOLCHAIN}-") for p, v in
               zip(sorted(paths), sorted(build.ICS_VERSIONS), strict=True))  # fmt: skip
    with pytest.raises(build.DevnetBuildError, match="not 'v4.5.0'"):
        build.module_dir("v4.5.0")


def test_builds_queue_behind_one_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(build.CACHE_ENV, str(tmp_path))
    said: list[str] = []
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with build.build_lock(said.append):
            holding.set()
            time.sleep(0.5)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(5)
    with build.build_lock(said.append):
        order.append("second")
    thread.join()
    assert order == ["first done", "second"]
    assert said == ["another devnet build is running; waiting for it"]
