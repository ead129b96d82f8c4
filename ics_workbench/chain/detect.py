"""Which provider dialect a node speaks: ICS v4/v5 (chain-id keyed, legacy proposals), v6/v7 (consumer-id
keyed, MsgCreateConsumer), or no provider module at all (a Cosmos Hub after Gaia v28 removed ICS).

Build dependencies from ``node_info`` give the exact version when the app imports ICS as a library (Gaia).
They are only a hint: Gaia v28 may still link ICS for legacy messages without running the module, and the
ICS repository's own ``interchain-security-pd`` does not list itself. So the REST routes are always probed;
a 404/501 on the provider's paths means the module is not served. Every later feature reads the resulting
:class:`Capabilities` instead of guessing.
"""

from __future__ import annotations

import logging
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ics_workbench.chain.absent import route_absent
from ics_workbench.chain.http import JsonHttp
from ics_workbench.chain.models import NodeInfo
from ics_workbench.errors import EndpointError
from ics_workbench.tasks import NO_JOB, Job

log = logging.getLogger(__name__)

ICS_MODULE = "github.com/cosmos/interchain-security"
IBC_MODULE = "github.com/cosmos/ibc-go"
PROVIDER_PREFIX = "/interchain_security/ccv/provider"
_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)")


def parse_version(text: str | None) -> tuple[int, int, int] | None:
    """``"v7.0.0-20250408210344-06e0dc6bf6d6"`` -> (7, 0, 0); anything unversioned -> None."""
    if not text:
        return None
    match = _VERSION.match(text.strip())
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


class Capabilities(BaseModel):
    """What the connected node supports; recorded on the connection profile and shown to the user."""

    model_config = ConfigDict(frozen=True)

    has_provider: bool
    ics_version: str | None = None
    """exact ICS module version when the binary lists it (e.g. ``v7.0.0``)"""
    ics_major: int | None = None
    keyed_by: Literal["consumer_id", "chain_id"] | None = None
    legacy_proposals: bool = False
    """consumer additions/removals are gov v1beta1 legacy proposals (v4/v5)"""
    msg_create_consumer: bool = False
    """permissionless MsgCreateConsumer / MsgUpdateConsumer / MsgRemoveConsumer exist (v6+)"""
    create_consumer_disabled: bool = False
    """the app rejects MsgCreateConsumer in its ante handler (Gaia v27+)"""
    consumer_msgs_via_gov: bool = False
    """Top N changes go through gov-owned MsgUpdateConsumer (v6+)"""
    power_shaping: bool = False
    """top N, caps, allow/deny lists (v4.2+, v5.1+)"""
    epochs: bool = False
    """``blocks_per_epoch`` param (v4.1+)"""
    allowlisted_reward_denoms: bool = False
    """v6.2+"""
    infraction_parameters: bool = False
    """per-consumer slash/jail parameters (v6.4+)"""
    prioritylist: bool = False
    """v6.4+"""
    connection_reuse: bool = False
    """``init_params.connection_id`` (v6.4+)"""
    max_provider_consensus_validators: bool = False
    """v6.0+"""
    sdk_version: str = ""
    comet_version: str = ""
    app_name: str = ""
    app_version: str = ""
    ibc_version: str = ""
    source: str = ""
    """how the ICS version was established (build deps, inference, probing)"""

    def summary(self) -> str:
        app = f"{self.app_name or 'app'} {self.app_version or '(no version)'}".strip()
        stack = f"SDK {self.sdk_version or '?'}, CometBFT {self.comet_version or '?'}"
        if not self.has_provider:
            return f"{app}; {stack}; no provider module (not an ICS provider)"
        family = "v6 or later" if self.keyed_by == "consumer_id" else "v4/v5"
        version = self.ics_version or (f"v{self.ics_major}.x" if self.ics_major else f"{family}, exact version unknown")
        keyed = (
            "consumer-id keyed, MsgCreateConsumer"
            if self.keyed_by == "consumer_id"
            else ("chain-id keyed, legacy proposals")
        )
        if self.create_consumer_disabled:
            keyed += " (creation disabled by the app)"
        features = [
            name
            for name, on in (
                ("power shaping", self.power_shaping),
                ("reward denoms", self.allowlisted_reward_denoms),
                ("infraction params", self.infraction_parameters),
                ("priority list", self.prioritylist),
            )
            if on
        ]
        extra = f"; features: {', '.join(features)}" if features else ""
        return f"ICS provider {version} ({keyed}){extra}; {app}; {stack}; detected from {self.source}"


def _at_least(version: tuple[int, int, int] | None, *pairs: tuple[int, int]) -> bool:
    """True when ``version`` reaches the first listed (major, minor) of its own major line, or a later major."""
    if version is None:
        return False
    for major, minor in pairs:
        if version[0] == major:
            return version[1] >= minor
    return version[0] > max(p[0] for p in pairs)


def version_hint(info: NodeInfo) -> tuple[str | None, tuple[int, int, int] | None, str]:
    """(exact ICS version or None, parsed (major, minor, patch) or None, where it came from)."""
    dep = info.dep_version(ICS_MODULE)
    if dep is not None:
        parsed = parse_version(dep[1])
        if parsed is not None:
            return dep[1], parsed, f"build dependency {dep[0]}@{dep[1]}"
    if info.binary_name.startswith("interchain-security") or info.app_name.startswith("interchain-security"):
        parsed = parse_version(info.app_version)
        if parsed is not None:
            return info.app_version, parsed, f"app version {info.app_version}"
        ibc = info.dep_version(IBC_MODULE)
        ibc_version = parse_version(ibc[1]) if ibc else None
        if ibc_version is not None:
            # ICS v4 shipped ibc-go v7, v5/v6 ibc-go v8, v7 ibc-go v10 (ICS go.mod at each tag).
            major = {7: 4, 10: 7}.get(ibc_version[0])
            if major is not None:
                return None, (major, 0, 0), f"ibc-go {ibc[1] if ibc else ''} linked by {info.binary_name or 'ICS'}"
    return None, None, ""


def _probe(rest: JsonHttp, path: str, job: Job) -> bool:
    """True if the node serves ``path``; False on 404/501 (route absent). Other faults propagate."""
    try:
        rest.get_json(PROVIDER_PREFIX + path, params={"pagination.limit": "1"}, job=job)
    except EndpointError as error:
        if route_absent(error):
            return False
        raise
    return True


def detect_capabilities(info: NodeInfo, rest: JsonHttp, *, job: Job = NO_JOB, comet_version: str = "") -> Capabilities:
    """Detect from build deps first, then confirm (or override) by probing the provider REST routes."""
    exact, parsed, source = version_hint(info)
    base = {
        "sdk_version": info.sdk_version,
        "comet_version": comet_version or info.comet_version,
        "app_name": info.binary_name or info.app_name,
        "app_version": info.app_version,
        "ibc_version": (info.dep_version(IBC_MODULE) or ("", ""))[1],
    }
    if _probe(rest, "/consumer_chains/0", job):
        keyed: Literal["consumer_id", "chain_id"] | None = "consumer_id"
    elif _probe(rest, "/consumer_chains", job):
        keyed = "chain_id"
    else:
        note = f"provider routes absent (404/501) although {source}" if parsed else "provider routes absent"
        return Capabilities(has_provider=False, source=note, **base)

    if parsed is not None and (parsed[0] >= 6) != (keyed == "consumer_id"):
        log.warning("build deps say ICS %s but the node serves %s-keyed routes; trusting the routes", parsed, keyed)
        source = f"REST routes ({keyed}); {source} disagreed"
        exact, parsed = None, None
    if parsed is None:
        # Routes only tell the family; assume the oldest release of it so no feature is claimed wrongly.
        parsed = (6, 0, 0) if keyed == "consumer_id" else (4, 0, 0)
        source = source or f"REST routes ({keyed}-keyed)"
        major: int | None = None
    else:
        major = parsed[0]
        source = f"{source}; confirmed by REST routes"
    v6 = keyed == "consumer_id"
    gaia = parse_version(info.app_version) if "gaia" in (info.binary_name + info.app_name).lower() else None
    return Capabilities(
        has_provider=True,
        ics_version=exact,
        ics_major=major if major is not None else None,
        keyed_by=keyed,
        legacy_proposals=not v6,
        msg_create_consumer=v6,
        create_consumer_disabled=bool(gaia and gaia[0] >= 27),
        consumer_msgs_via_gov=v6,
        power_shaping=v6 or _at_least(parsed, (4, 2), (5, 1)),
        epochs=v6 or _at_least(parsed, (4, 1)),
        allowlisted_reward_denoms=_at_least(parsed, (6, 2)),
        infraction_parameters=_at_least(parsed, (6, 4)),
        prioritylist=_at_least(parsed, (6, 4)),
        connection_reuse=_at_least(parsed, (6, 4)),
        max_provider_consensus_validators=v6,
        source=source,
        **base,
    )
