"""`python -m ics_workbench.devnet build`: the Makefile's `devnet-bin` step (no console script needed yet)."""

from __future__ import annotations

import sys

from ics_workbench.cli import main

if __name__ == "__main__":
    sys.exit(main(["devnet", *sys.argv[1:]]))
