"""The sign modes the workbench produces, in a module of their own so that the transaction builder
(:mod:`.tx`) and the per-message mode rules (:mod:`.sign_modes`) both import it without importing each other."""

from __future__ import annotations

import enum

import ics_workbench.proto  # noqa: F401  (puts cosmpy's generated `cosmos.*` packages on the path)

# isort: split
from cosmos.tx.signing.v1beta1 import signing_pb2


class SignMode(enum.IntEnum):
    """The sign modes the workbench produces (values are the SDK's `SignMode` enum numbers)."""

    DIRECT = signing_pb2.SIGN_MODE_DIRECT
    LEGACY_AMINO_JSON = signing_pb2.SIGN_MODE_LEGACY_AMINO_JSON

    @property
    def label(self) -> str:
        return str(signing_pb2.SignMode.Name(self.value))
