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
from ics_workbench.foundation.ics_versions import IcsVersion, infer_version, parse_version
from ics_workbench.tasks import NO_JOB, Job

log = logging.getLogger(__name__)

__all__ = ["Capabilities", "detect_capabilities", "ibc_go_version", "parse_version", "version_hint"]

ICS_MODULE = "github.com/cosmos/interchain-security"
# The ibc-go core module is `github.com/cosmos/ibc-go/vN`; `ibc-go/modules/capability` (v1.0.x) and other
# submodules share the prefix but say nothing about which ibc-go (and so which ICS) the binary links.
_IBC_CORE = re.compile(r"^github\.com/cosmos/ibc-go/v(\d+)$")
PROVIDER_PREFIX = "/interchain_security/ccv/provider"
# How deep the evidence walk looks into an answer (consumer list -> chain -> power shaping -> field).
_EVIDENCE_DEPTH = 6
_EVIDENCE_ROUTES = ("/params", "/consumer_chain_start_proposals")


class Capabilities(BaseModel):
    """What the connected node supports; recorded on the connection profile and shown to the user."""

    model_config = ConfigDict(frozen=True)

    has_provider: bool
    ics_version: str | None = None
    """exact ICS module version when the binary lists it (e.g. ``v7.0.0``)"""
    ics_major: int | None = None
    guessed_version: str | None = None
    """when the exact version is unknown: the release the features are read from (a guess, shown as one)"""
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
        if self.ics_version is None and self.guessed_version:
            version += f"; treated as {self.guessed_version} (guessed)"
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

    def provider_version(self) -> IcsVersion | None:
        """The release the rules check against: the exact one, else the guess (``guessed=True``); None when the
        node serves no provider module. Never a newer family than the routes show (no v7 on chain-id keys)."""
        if not self.has_provider:
            return None
        exact = IcsVersion.try_parse(self.ics_version)
        if exact is not None:
            return exact
        guess = IcsVersion.try_parse(self.guessed_version)
        if guess is not None:
            return IcsVersion(guess.major, guess.minor, guess.patch, guessed=True, basis=self.source)
        return infer_version(self.keyed_by == "consumer_id", self.sdk_version)


def ibc_go_version(info: NodeInfo) -> tuple[str, str] | None:
    """(module path, version) of the ibc-go core module ``github.com/cosmos/ibc-go/vN`` the binary links."""
    for dep in info.build_deps:
        if _IBC_CORE.match(dep.path):
            return dep.path, dep.version
    return None


def _ibc_major(info: NodeInfo) -> int | None:
    dep = ibc_go_version(info)
    if dep is None:
        return None
    match = _IBC_CORE.match(dep[0])
    return int(match[1]) if match else None


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
        ibc = ibc_go_version(info)
        # ICS v4 shipped ibc-go v7, v5/v6 ibc-go v8 (ambiguous: the routes decide), v7 ibc-go v10.
        major = {7: 4, 10: 7}.get(_ibc_major(info) or 0)
        if ibc is not None and major is not None:
            return None, (major, 0, 0), f"ibc-go {ibc[1]} linked by {info.binary_name or 'ICS'}"
    return None, None, ""


def _get(rest: JsonHttp, path: str, job: Job) -> object | None:
    """The answer at ``path``, or None on 404/501 (route absent). Other faults propagate."""
    try:
        answer: object = rest.get_json(PROVIDER_PREFIX + path, params={"pagination.limit": "1"}, job=job)
    except EndpointError as error:
        if route_absent(error):
            return None
        raise
    return answer


def _keys(answer: object, depth: int = _EVIDENCE_DEPTH) -> set[str]:
    """Every object key in an answer (bounded depth): which fields this provider's messages carry."""
    if depth <= 0:
        return set()
    if isinstance(answer, dict):
        found = set(answer)
        for value in answer.values():
            found |= _keys(value, depth - 1)
        return found
    if isinstance(answer, list):
        return set().union(*(_keys(item, depth - 1) for item in answer[:5])) if answer else set()
    return set()


def _evidence(rest: JsonHttp, first: object, job: Job) -> set[str]:
    """Field names in the provider's own answers (params, consumer list, pending additions): on a build whose
    exact version is unknown they prove which features it has."""
    keys = _keys(first)
    for path in _EVIDENCE_ROUTES:
        try:
            keys |= _keys(_get(rest, path, job))
        except EndpointError as error:  # evidence is best effort; detection itself already succeeded
            log.info("capability evidence %s unavailable: %s", path, error)
    return keys


def detect_capabilities(info: NodeInfo, rest: JsonHttp, *, job: Job = NO_JOB, comet_version: str = "") -> Capabilities:
    """Detect from build deps first, then confirm (or override) by probing the provider REST routes; when the
    exact version stays unknown, guess it from the family and the fields the chain's answers carry."""
    exact, parsed, source = version_hint(info)
    ibc = ibc_go_version(info)
    base = {
        "sdk_version": info.sdk_version,
        "comet_version": comet_version or info.comet_version,
        "app_name": info.binary_name or info.app_name,
        "app_version": info.app_version,
        "ibc_version": ibc[1] if ibc else "",
    }
    keyed: Literal["consumer_id", "chain_id"]
    answer = _get(rest, "/consumer_chains/0", job)
    if answer is not None:
        keyed = "consumer_id"
    else:
        answer = _get(rest, "/consumer_chains", job)
        if answer is None:
            note = f"provider routes absent (404/501) although {source}" if parsed else "provider routes absent"
            return Capabilities(has_provider=False, source=note, **base)
        keyed = "chain_id"  # `answer` is the first page of the consumer list: its entries carry the fields

    if parsed is not None and (parsed[0] >= 6) != (keyed == "consumer_id"):
        log.warning("build deps say ICS %s but the node serves %s-keyed routes; trusting the routes", parsed, keyed)
        source = f"REST routes ({keyed}); {source} disagreed"
        exact, parsed = None, None
    major: int | None = parsed[0] if parsed is not None else None
    if exact is not None:
        version = IcsVersion.parse(exact)
        source = f"{source}; confirmed by REST routes"
        guessed: str | None = None
    else:
        if keyed == "consumer_id":
            answer = _get(rest, "/consumer_chains", job)
        evidence = _evidence(rest, answer, job)
        version = infer_version(keyed == "consumer_id", info.sdk_version, _ibc_major(info), evidence)
        source = f"{source}; {version.basis}" if source else version.basis
        guessed = str(version)
    gaia = parse_version(info.app_version) if "gaia" in (info.binary_name + info.app_name).lower() else None
    return Capabilities(
        has_provider=True,
        ics_version=exact,
        ics_major=major,
        guessed_version=guessed,
        keyed_by=keyed,
        legacy_proposals=version.has("legacy_proposals"),
        msg_create_consumer=version.has("msg_create_consumer"),
        create_consumer_disabled=bool(gaia and gaia[0] >= 27),
        consumer_msgs_via_gov=version.has("consumer_msgs_via_gov"),
        power_shaping=version.has("power_shaping"),
        epochs=version.has("epochs"),
        allowlisted_reward_denoms=version.has("allowlisted_reward_denoms"),
        infraction_parameters=version.has("infraction_parameters"),
        prioritylist=version.has("prioritylist"),
        connection_reuse=version.has("connection_reuse"),
        max_provider_consensus_validators=version.has("max_provider_consensus_validators"),
        source=source,
        **base,
    )
