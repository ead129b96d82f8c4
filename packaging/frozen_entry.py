"""Entry script of the frozen app: the same dispatcher as the `ics-workbench` console script."""

import sys

from ics_workbench.entry import main

if __name__ == "__main__":
    sys.exit(main())
