"""The committed generated package must be exactly what the generator produces from the committed sources."""

from __future__ import annotations

import ast
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
    """Independent of the regeneration test above (which would accept a generator that stopped prefixing): every
    import in the generated modules is our own package or a root cosmpy/protobuf ships."""
    cosmpy_roots = {"google", "cosmos", "cosmos_proto", "gogoproto", "amino", "tendermint", "ibc"}
    modules = list(generate.OUTPUT_DIR.rglob("*_pb2.py"))
    assert modules
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            for name in names:
                ours = name.startswith("ics_workbench.proto.gen.")
                assert ours or name.split(".")[0] in cosmpy_roots, f"{path}: imports {name!r}"


def test_every_source_file_has_a_generated_module() -> None:
    from ics_workbench.proto import registry

    assert sorted(registry.GENERATED_MODULES) == generate.own_proto_files()
