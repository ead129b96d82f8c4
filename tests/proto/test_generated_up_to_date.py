"""The committed generated package must be exactly what the generator produces from the committed sources."""

from __future__ import annotations

from pathlib import Path

from ics_workbench.proto import generate


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def test_regenerating_gives_the_committed_files(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    generate.generate(out)
    fresh, committed = _tree(out), _tree(generate.OUTPUT_DIR)
    assert sorted(fresh) == sorted(committed)
    stale = [name for name in fresh if fresh[name] != committed[name]]
    assert stale == [], f"run `python -m ics_workbench.proto.generate`; out of date: {stale}"


def test_generated_code_imports_only_our_prefix_or_cosmpy_roots() -> None:
    for path in generate.OUTPUT_DIR.rglob("*_pb2.py"):
        for line in path.read_text().splitlines():
            if line.startswith(("from interchain_security", "from icswb", "import interchain_security")):
                raise AssertionError(f"{path}: unprefixed import {line!r}")


def test_every_source_file_has_a_generated_module() -> None:
    from ics_workbench.proto import registry

    assert sorted(registry.GENERATED_MODULES) == generate.own_proto_files()
