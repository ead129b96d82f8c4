"""ICS Workbench: govern and secure Cosmos Interchain Security providers and consumers.

The package root and every subpackage except ``gui`` are Qt-free, so the headless command line and an
air-gapped signer run without PySide6 installed.
"""

__version__ = "0.1.0"
