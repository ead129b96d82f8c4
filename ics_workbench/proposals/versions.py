"""Compatibility name for the proposal code: the version table lives in :mod:`ics_workbench.foundation.ics_versions`.

``ProviderVersion`` *is* :class:`~ics_workbench.foundation.ics_versions.IcsVersion` (one parser, one feature table);
there is deliberately no default release: the rules check against the version the chain was detected as.
"""

from __future__ import annotations

from ics_workbench.foundation.ics_versions import IcsVersion as ProviderVersion

__all__ = ["ProviderVersion"]
