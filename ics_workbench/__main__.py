"""``python -m ics_workbench`` behaves exactly like the ``ics-workbench`` entry point."""

import sys

from ics_workbench.entry import main

if __name__ == "__main__":
    sys.exit(main())
