"""The Python replay of Go's ``sort.Slice`` must permute ties exactly like the real Go toolchain does.

The keeper's sorts are unstable, so who survives a set cap among equal-power validators is decided by pdqsort's
swaps. These tests run the real ``go`` binary on the same inputs when a toolchain is installed.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from ics_workbench.validators.gosort import XORSHIFT_GO123, XORSHIFT_GO124, go_sort_slice

GO_PROGRAM = """
package main

import (
	"encoding/json"
	"os"
	"sort"
)

type item struct{ Key int64; Id int }

func main() {
	var cases [][]int64
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil { panic(err) }
	out := make([][]int, 0, len(cases))
	for _, keys := range cases {
		items := make([]item, len(keys))
		for i, k := range keys { items[i] = item{k, i} }
		sort.Slice(items, func(i, j int) bool { return items[i].Key > items[j].Key })
		ids := make([]int, len(items))
		for i, it := range items { ids[i] = it.Id }
		out = append(out, ids)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
"""


def _toolchains() -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    mod = Path.home() / "go" / "pkg" / "mod" / "golang.org"
    for candidate in sorted(mod.glob("toolchain@v0.0.1-go1.23.*/bin/go")):
        found.append(("go1.23", candidate))
    system = shutil.which("go")
    if system:
        found.append(("system", Path(system)))
    return found


def _cases() -> list[list[int]]:
    rng = random.Random(7)
    cases: list[list[int]] = []
    for n in (0, 1, 2, 5, 12, 13, 30, 49, 50, 51, 64, 100, 180, 257, 500):
        cases.append([rng.randint(0, 4) for _ in range(n)])  # heavy ties
        cases.append([rng.randint(0, 10**6) for _ in range(n)])
        cases.append(sorted((rng.randint(0, 9) for _ in range(n)), reverse=True))  # keeper input: power-desc
        cases.append(sorted(rng.randint(0, 9) for _ in range(n)))  # ascending: triggers the reverse path
        cases.append([5] * n)
    # organ pipes and saw-tooth inputs push pdqsort into unbalanced partitions (break_patterns, heap sort)
    cases.append([i if i < 250 else 500 - i for i in range(500)])
    cases.append([i % 7 for i in range(500)])
    return cases


def _python_order(keys: list[int], shifts: tuple[int, int, int]) -> list[int]:
    items = list(enumerate(keys))
    go_sort_slice(items, lambda x, y: x[1] > y[1], xorshift=shifts)
    return [i for i, _ in items]


def _go_version(go: Path) -> str:
    return subprocess.run([str(go), "version"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("label,go",
                         _toolchains() or [pytest.param("none", None, marks=pytest.mark.skip("no Go toolchain"))])
def test_permutation_equals_real_go(label: str, go: Path, tmp_path: Path) -> None:
    version = _go_version(go)
    minor = int(version.split("go1.")[1].split(".")[0])
    shifts = XORSHIFT_GO123 if minor <= 23 else XORSHIFT_GO124
    source = tmp_path / "main.go"
    source.write_text(GO_PROGRAM)
    cases = _cases()
    env = dict(os.environ, GOTOOLCHAIN="local", GOFLAGS="-mod=mod", GO111MODULE="off")
    run = subprocess.run(
        [str(go), "run", str(source)], input=json.dumps(cases), capture_output=True, text=True, env=env, timeout=300
    )
    assert run.returncode == 0, run.stderr
    expected = json.loads(run.stdout)
    for keys, go_order in zip(cases, expected, strict=True):
        assert _python_order(keys, shifts) == go_order, f"{version.strip()}: differs for {keys}"


def test_result_is_sorted_and_a_permutation() -> None:
    rng = random.Random(3)
    for n in range(0, 300, 7):
        keys = [rng.randint(0, 3) for _ in range(n)]
        order = _python_order(keys, XORSHIFT_GO123)
        assert sorted(order) == list(range(n))
        assert [keys[i] for i in order] == sorted(keys, reverse=True)
