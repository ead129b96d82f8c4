"""Seeded generator of proposal drafts for the differential harness (the real v7 provider is the judge).

Nothing here is a frozen list of answers: the generator walks the fields of every message model and, by the
field's wire type (uint32, int64, duration, timestamp, bytes, decimal, bech32 list, denom, bool) and by the
field's meaning (chain id, consumer id, owner, connection id), writes values at and around each boundary the
provider applies (ValidateBasic, the msg server, gov, the CLI's Go JSON decoding, the launch), plus the key
left out and a wrongly typed value. A new model field gets cases for free. ``random.Random(seed)`` picks the
in-range samples and which variants run, so CI is deterministic and another seed explores further.

A case says only what is written and how it is sent; the chain's verdict and the state check decide.
"""

from __future__ import annotations

import base64
import copy
import random
import typing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel

from ics_workbench.addresses import encode_address
from ics_workbench.proposals.codec import submodel, wire_kind
from ics_workbench.proposals.models import (
    ConsumerInitializationParameters,
    ConsumerMetadata,
    InfractionParameters,
    PowerShapingParameters,
)

Mode = Literal["dry", "exec", "launch", "gov"]
MISSING = object()  # "leave the key out"
MAX_I64 = (1 << 63) - 1
MAX_U64 = (1 << 64) - 1
MAX_U32 = (1 << 32) - 1
SPAWN_FAR = "2031-01-01T00:00:00Z"


@dataclass
class Env:
    """The harness chain's fixed facts the cases refer to."""

    user: str  # owner of the fixture consumers
    other: str  # a funded account that owns nothing (val-b)
    gov: str
    valcons: str  # validator A's consensus address
    registered: str  # consumer id, REGISTERED, owned by user, chain id reg-1
    launched: str  # consumer id, LAUNCHED, owned by user
    gov_owned: str  # consumer id, REGISTERED, owned by gov
    min_deposit: int
    denom: str
    bonded_max: int


@dataclass
class Case:
    name: str
    route: Literal["tx", "gov"]
    mode: Mode
    body: dict[str, Any]  # provider CLI file (tx) or gov proposal JSON (gov)
    command: str = "create-consumer"  # tx provider <command>
    signer: str = "user"  # key name
    probe: str = ""  # state check after execution (exec/launch modes)
    expect: dict[str, Any] = field(default_factory=dict)  # what the probe compares


def _set(doc: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    node = out
    for key in path[:-1]:
        node = node.setdefault(key, {})
    if value is MISSING:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return out


def _valcons(seed: bytes, size: int = 20, prefix: str = "cosmosvalcons") -> str:
    return encode_address((seed * size)[:size], prefix)


# --- value candidates per wire type / meaning ----------------------------------------------------------------


def ints(kind: str, rnd: random.Random) -> list[Any]:
    high = {"uint32": MAX_U32, "uint64": MAX_U64, "int64": MAX_I64, "duration": MAX_I64}[kind]
    low = 0 if kind.startswith("uint") else -(1 << 63)
    values: list[Any] = [0, 1, -1, high, high + 1, rnd.randrange(2, 10**6), 1.0, "7", 2.5]
    if low:
        values.append(low - 1)
    return values


def durations(rnd: random.Random) -> list[Any]:
    return [0, 1, -1, 1_000_000_000, MAX_I64, MAX_I64 + 1, "1728000s", 1.5e15, rnd.randrange(10**12, 10**16)]


def decimals(rnd: random.Random) -> list[Any]:
    return ["0", "1", "1.0", "1.000000000000000001", "0.75", "+0.5", "+.5", "--1", "-0.1", " 0.5", "0.5 ",
            ".5", "5.", "1e-1", "0.1234567890123456789", f"0.{rnd.randrange(1, 10**6):06d}", "", "0.5\n", 0.5]


def timestamps(rnd: random.Random) -> list[Any]:
    future = datetime(2031, 1, 1, tzinfo=UTC) + timedelta(seconds=rnd.randrange(10**7))
    return [future.strftime("%Y-%m-%dT%H:%M:%SZ"), "0001-01-01T00:00:00Z", "2031-01-01t00:00:00z",
            "2031-01-01 00:00:00Z", " 2031-01-01T00:00:00Z", "2031-01-01T00:00:00+01:00", "2031-02-30T00:00:00Z",
            "2031-01-01T00:00:00.123456789Z", 1893456000, None]


def hashes(rnd: random.Random) -> list[Any]:
    def b64(n: int) -> str:
        return base64.b64encode(bytes(rnd.randrange(256) for _ in range(n))).decode()

    return ["", b64(32), b64(64), b64(65), "%%%", " " + b64(3), b64(3).rstrip("="), None]


def strings(name: str, rnd: random.Random) -> list[Any]:
    text = "".join(rnd.choice("abcdefghij") for _ in range(rnd.randrange(3, 12)))
    limits = {"name": 50, "description": 10000, "metadata": 255}
    if name in limits:
        n = limits[name]
        return [text, "", " ", "\u001f", "\u00a0", "\t\n", "x" * n, "x" * (n + 1), "é" * (n // 2 + 1), 5]
    if name == "distribution_transmission_channel":
        return ["", " ", "channel-0", "chan-01", "channel", "ch/annel-0", "channel-0\n", "c" * 64, "c" * 65]
    if name == "connection_id":
        return [" ", "\u001f", "connection", "connection-0\n", "conn/ection-0", "c" * 65]
    return [text, "", " "]


def chain_ids(rnd: random.Random) -> list[Any]:
    text = "".join(rnd.choice("abcdefghij") for _ in range(5))
    return [f"{text}-1", f"{text}-2", f"{text}", "", " ", "\u001f", "\u001f-1", "neutron-1", "stride-1",
            "Neutron-1", f"{text}-1\n", f"{text}-01", f"{text}-0", "c" * 48 + "-1", "c" * 49 + "-1", "é" * 25,
            f"{text}--1", f"{text}-1-2", f"{text}-18446744073709551616"]


def address_lists(env: Env) -> list[Any]:
    good = env.valcons
    return [[good], [good.upper()], [good[:10] + good[10:].upper()], [_valcons(b"\x07", 10)],
            [_valcons(b"\x08", 32)], [_valcons(b"\x09", 20, "cosmosvaloper")], [_valcons(b"\x0a", 20, "cosmos")],
            [""], [" "], [good + " "], [good, good], "notalist", [5]]


def denom_lists(rnd: random.Random) -> list[Any]:
    hexa = "".join(rnd.choice("0123456789ABCDEF") for _ in range(64))
    return [["uatom"], ["factory/cosmos1abc/token"], ["transfer/channel-0/uatom"], [f"ibc/{hexa}"],
            [f"ibc/{hexa[:62]}"], [f"ibc/{hexa.lower()}"], ["ibc"], ["ibc/"], ["u"], ["a" * 128], ["a" * 129],
            ["uatom\n"], ["ua", "ub", "uc"], ["ua", "ub", "uc", "ud"], []]


def bools() -> list[Any]:
    return [True, False, "true", 1, None]


# --- bases ----------------------------------------------------------------------------------------------------


def init_params(chain_rev: int = 1, spawn: str | None = None) -> dict[str, Any]:
    return {
        "initial_height": {"revision_number": chain_rev, "revision_height": 1},
        "genesis_hash": "",
        "binary_hash": "",
        "spawn_time": spawn or "0001-01-01T00:00:00Z",
        "unbonding_period": 1_728_000 * 10**9,
        "ccv_timeout_period": 2_419_200 * 10**9,
        "transfer_timeout_period": 3600 * 10**9,
        "consumer_redistribution_fraction": "0.75",
        "blocks_per_distribution_transmission": 1000,
        "historical_entries": 10000,
        "distribution_transmission_channel": "",
        "connection_id": "",
    }


def power_shaping(env: Env) -> dict[str, Any]:
    return {"top_N": 0, "validators_power_cap": 0, "validator_set_cap": 0, "allowlist": [env.valcons],
            "denylist": [], "min_stake": 0, "allow_inactive_vals": False, "prioritylist": []}


def infraction() -> dict[str, Any]:
    return {"double_sign": {"slash_fraction": "0.05", "jail_duration": MAX_I64, "tombstone": True},
            "downtime": {"slash_fraction": "0.0001", "jail_duration": 600 * 10**9, "tombstone": False}}


def create_base(env: Env, chain_id: str) -> dict[str, Any]:
    return {"chain_id": chain_id, "metadata": {"name": "harness", "description": "generated", "metadata": "{}"},
            "initialization_parameters": init_params(), "power_shaping_parameters": power_shaping(env),
            "infraction_parameters": infraction(), "allowlisted_reward_denoms": {"denoms": ["uatom"]}}


def update_base(env: Env, consumer_id: str, chain_rev: int = 1) -> dict[str, Any]:
    return {"consumer_id": consumer_id, "metadata": {"name": "harness", "description": "updated", "metadata": "{}"},
            "initialization_parameters": init_params(chain_rev), "power_shaping_parameters": power_shaping(env),
            "infraction_parameters": infraction(), "allowlisted_reward_denoms": {"denoms": ["uatom"]}}


# --- the walk -------------------------------------------------------------------------------------------------


def _candidates(model: type[BaseModel], name: str, env: Env, rnd: random.Random) -> list[Any]:
    kind = wire_kind(model, name)
    annotation = model.model_fields[name].annotation
    if name == "chain_id":
        return chain_ids(rnd)
    if kind == "duration":
        return durations(rnd)
    if kind in ("uint32", "uint64", "int64"):
        values = ints(kind, rnd)
        if name == "top_N":
            values += [49, 50, 100, 101]
        if name == "validators_power_cap":
            values += [100, 101]
        if name == "min_stake":
            values += [env.bonded_max, env.bonded_max + 1]
        return values
    if kind == "timestamp":
        return timestamps(rnd)
    if kind == "bytes":
        return hashes(rnd)
    if kind == "dec" or name == "consumer_redistribution_fraction":
        return decimals(rnd)
    if annotation is bool:
        return bools()
    if typing.get_origin(annotation) is list:
        return denom_lists(rnd) if name == "denoms" else address_lists(env)
    return strings(name, rnd)


def walk(
    model: type[BaseModel], base: dict[str, Any], prefix: tuple[str, ...], env: Env, rnd: random.Random
) -> list[tuple[str, dict[str, Any]]]:
    """(label, mutated document) for every leaf of ``model`` under ``prefix``: each boundary value, the key left
    out, and null."""
    out: list[tuple[str, dict[str, Any]]] = []
    for name in model.model_fields:
        path = (*prefix, name)
        sub = submodel(model.model_fields[name].annotation)
        if sub is not None and typing.get_origin(model.model_fields[name].annotation) is not list:
            out += walk(sub, base, path, env, rnd)
            out.append((".".join(path) + "=<missing>", _set(base, path, MISSING)))
            continue
        label = ".".join(path)
        for value in _candidates(model, name, env, rnd):
            out.append((f"{label}={value!r:.40}", _set(base, path, value)))
        out.append((f"{label}=<missing>", _set(base, path, MISSING)))
    return out


SUBSTRUCTURES: tuple[tuple[str, type[BaseModel]], ...] = (
    ("metadata", ConsumerMetadata),
    ("initialization_parameters", ConsumerInitializationParameters),
    ("power_shaping_parameters", PowerShapingParameters),
    ("infraction_parameters", InfractionParameters),
)


def generate(env: Env, seed: int, *, sample: float = 1.0) -> list[Case]:
    """Every case of every kind; ``sample`` < 1 keeps a seeded random share of the dry (simulated) ones."""
    rnd = random.Random(seed)
    cases: list[Case] = []

    def keep() -> bool:
        return sample >= 1.0 or rnd.random() < sample

    # MsgCreateConsumer (provider CLI file, simulated against the chain)
    base = create_base(env, "gen-1")
    cases.append(Case("create: base", "tx", "dry", base))
    for label, doc in [("chain_id=" + repr(v), _set(base, ("chain_id",), v)) for v in chain_ids(rnd)]:
        cases.append(Case(f"create: {label}", "tx", "dry", doc))
    for name, model in SUBSTRUCTURES:
        cases.append(Case(f"create: {name}=<missing>", "tx", "dry", _set(base, (name,), MISSING)))
        for label, doc in walk(model, base, (name,), env, rnd):
            if keep():
                cases.append(Case(f"create: {label}", "tx", "dry", doc))
    for label, doc in [
        (f"denoms={v!r:.50}", _set(base, ("allowlisted_reward_denoms", "denoms"), v)) for v in denom_lists(rnd)
    ]:
        cases.append(Case(f"create: {label}", "tx", "dry", doc))
    cases.append(Case("create: owner key ignored", "tx", "dry", _set(base, ("submitter",), env.other)))

    # MsgUpdateConsumer on the REGISTERED consumer owned by user (simulated)
    ubase = update_base(env, env.registered)
    cases.append(Case("update: base", "tx", "dry", ubase, "update-consumer"))
    for value in ["999", "043", " " + env.registered, env.registered + "\n", "+" + env.registered, "", " ",
                  "18446744073709551616", "\uff11", "1_0", str(MAX_U64)]:
        cases.append(
            Case(f"update: consumer_id={value!r}", "tx", "dry", _set(ubase, ("consumer_id",), value), "update-consumer")
        )
    for name, model in SUBSTRUCTURES:
        cases.append(Case(f"update: {name}=<missing>", "tx", "dry", _set(ubase, (name,), MISSING), "update-consumer"))
        for label, doc in walk(model, ubase, (name,), env, rnd):
            if keep():
                cases.append(Case(f"update: {label}", "tx", "dry", doc, "update-consumer"))
    for value in ["", " ", env.other, env.gov, env.other[:12] + env.other[12:].upper(),
                  encode_address(b"\x01" * 10, "cosmos"), encode_address(b"\x01" * 20, "stride"), env.other + "\n"]:
        doc = _set(ubase, ("new_owner_address",), value)
        cases.append(Case(f"update: new_owner_address={value!r:.30}", "tx", "dry", doc, "update-consumer"))
    for value in ["", " ", "reg-1", "reg-2", "renamed-1", "halt", "neutron-1"]:
        doc = _set(_set(ubase, ("new_chain_id",), value), ("initialization_parameters",), MISSING)
        cases.append(Case(f"update: new_chain_id={value!r} (no init params)", "tx", "dry", doc, "update-consumer"))
        doc = _set(ubase, ("new_chain_id",), value)
        cases.append(Case(f"update: new_chain_id={value!r} (rev-1 init params)", "tx", "dry", doc, "update-consumer"))
    cases.append(Case("update: owner key ignored", "tx", "dry", _set(ubase, ("owner",), env.other), "update-consumer"))
    cases.append(Case("update: signed by a non-owner", "tx", "dry", ubase, "update-consumer", signer="val-b"))
    cases.append(Case("update: top_N 95 by non-gov owner", "tx", "dry",
                      _set(ubase, ("power_shaping_parameters", "top_N"), 95), "update-consumer"))

    # MsgUpdateConsumer on the LAUNCHED consumer
    lbase = {"consumer_id": env.launched, "metadata": {"name": "l", "description": "d", "metadata": "m"}}
    cases.append(Case("update launched: metadata", "tx", "dry", lbase, "update-consumer"))
    cases.append(
        Case(
            "update launched: init params",
            "tx",
            "dry",
            _set(lbase, ("initialization_parameters",), init_params()),
            "update-consumer",
        )
    )
    for value in ["lau-1", "other-1", " "]:
        cases.append(
            Case(
                f"update launched: new_chain_id={value!r}",
                "tx",
                "dry",
                _set(lbase, ("new_chain_id",), value),
                "update-consumer",
            )
        )

    cases += _exec_cases(env)
    cases += _launch_cases(env, rnd)
    cases += _gov_cases(env, rnd)
    return cases


def _exec_cases(env: Env) -> list[Case]:
    """Really executed, then the stored consumer is compared with what the file meant."""
    out = []
    for i, owner in enumerate([env.other, env.other.upper()]):
        out.append(Case(f"exec: new owner {'upper-case' if i else 'lower-case'}", "tx", "exec",
                        {"consumer_id": "<fresh>", "new_owner_address": owner}, "update-consumer",
                        probe="owner", expect={"owner": owner.lower()}))
    partial = [("full", infraction()["double_sign"]), ("fraction only", {"slash_fraction": "0.1"}),
               ("no tombstone key", {"slash_fraction": "0.1", "jail_duration": MAX_I64})]
    for label, block in partial:
        body = _set(create_base(env, "<fresh>"), ("infraction_parameters",), {"double_sign": block})
        out.append(Case(f"exec: create double_sign {label}", "tx", "exec", body, probe="double_sign",
                        expect={"jail_duration": MAX_I64, "tombstone": True, **block}))
    return out


def _launch_cases(env: Env, rnd: random.Random) -> list[Case]:
    """Created for real with a spawn time a few seconds ahead, validator A opts in, the phase after spawn decides."""
    variants: list[tuple[str, tuple[str, ...], Any]] = [
        ("control", ("metadata", "name"), "launch"),
        ("revision 0", ("initialization_parameters", "initial_height", "revision_number"), 0),
        ("revision 0 height 0", ("initialization_parameters", "initial_height"),
         {"revision_number": 0, "revision_height": 5}),
        ("unbonding 1ns", ("initialization_parameters", "unbonding_period"), 1),
        ("unbonding 2ns", ("initialization_parameters", "unbonding_period"), 2),
        ("unbonding 1s", ("initialization_parameters", "unbonding_period"), 10**9),
        ("connection-0", ("initialization_parameters", "connection_id"), "connection-0"),
        ("connection-localhost", ("initialization_parameters", "connection_id"), "connection-localhost"),
        ("connection blank", ("initialization_parameters", "connection_id"), " "),
        ("min_stake above all", ("power_shaping_parameters", "min_stake"), env.bonded_max + 1),
        ("min_stake at max", ("power_shaping_parameters", "min_stake"), env.bonded_max),
    ]
    out = []
    for label, path, value in variants:
        body = _set(create_base(env, "<fresh>"), path, value)
        if label.startswith("revision 0"):
            body["chain_id"] = "<fresh-norev>"
        out.append(
            Case(f"launch: {label}", "tx", "launch", body, probe="phase", expect={"phase": "CONSUMER_PHASE_LAUNCHED"})
        )
    return out


def gov_envelope(env: Env, messages: list[dict[str, Any]], **over: Any) -> dict[str, Any]:
    doc = {"messages": messages, "metadata": "", "deposit": f"{env.min_deposit}{env.denom}", "title": "Harness",
           "summary": "Generated by the differential harness.", "expedited": False}
    doc.update(over)
    return doc


def gov_create(env: Env, chain_id: str, **over: Any) -> dict[str, Any]:
    msg = {"@type": "/interchain_security.ccv.provider.v1.MsgCreateConsumer", "submitter": env.gov,
           "chain_id": chain_id, "metadata": {"name": "gov", "description": "d", "metadata": "{}"}}
    msg.update(over)
    return msg


def _gov_cases(env: Env, rnd: random.Random) -> list[Case]:
    ratio_edge = env.min_deposit // 100  # default min_deposit_ratio 0.01
    out: list[Case] = []
    envelope_values: list[tuple[str, dict[str, Any]]] = [
        ("title empty", {"title": ""}), ("title spaces", {"title": "   "}), ("title 255 bytes", {"title": "t" * 255}),
        ("title 256 bytes", {"title": "t" * 256}), ("title 128 x é", {"title": "é" * 128}),
        ("summary empty", {"summary": ""}), ("summary 10200", {"summary": "s" * 10200}),
        ("summary 10201", {"summary": "s" * 10201}),
        ("metadata ipfs", {"metadata": "ipfs://Qm"}), ("metadata 255", {"metadata": "m" * 255}),
        ("metadata 256", {"metadata": "m" * 256}),
        ("metadata json matching",
         {"metadata": '{"title":"Harness","summary":"Generated by the differential harness."}'}),
        ("metadata json other title",
         {"metadata": '{"title":"Other","summary":"Generated by the differential harness."}'}),
        ("metadata json upper keys",
         {"metadata": '{"TITLE":"Harness","Summary":"Generated by the differential harness."}'}),
        ("metadata json empty object", {"metadata": "{}"}), ("metadata json null", {"metadata": "null"}),
        ("metadata json array", {"metadata": "[]"}), ("metadata json title number", {"metadata": '{"title":5}'}),
        ("metadata json authors string", {"metadata": '{"authors":"me"}'}),
        ("deposit empty", {"deposit": ""}), ("deposit 1", {"deposit": f"1{env.denom}"}),
        ("deposit ratio-1", {"deposit": f"{ratio_edge - 1}{env.denom}"}),
        ("deposit ratio", {"deposit": f"{ratio_edge}{env.denom}"}),
        ("deposit decimal", {"deposit": f"{ratio_edge}.9{env.denom}"}),
        ("deposit other denom", {"deposit": "100000000uatom"}),
        ("deposit spaces", {"deposit": f" {env.min_deposit} {env.denom} "}),
        ("deposit random", {"deposit": f"{rnd.randrange(1, env.min_deposit)}{env.denom}"}),
    ]
    for label, over in envelope_values:
        doc = gov_envelope(env, [gov_create(env, "govgen-1")], **over)
        out.append(Case(f"gov submit: {label}", "gov", "dry", doc))
    out.append(Case("gov submit: no messages with metadata", "gov", "dry", gov_envelope(env, [], metadata="ipfs://x")))
    out.append(Case("gov submit: no messages no metadata", "gov", "dry", gov_envelope(env, [])))
    out.append(
        Case(
            "gov submit: submitter not gov",
            "gov",
            "dry",
            gov_envelope(env, [gov_create(env, "govgen-1", submitter=env.user)]),
        )
    )

    executed: list[tuple[str, dict[str, Any]]] = [
        ("create rev-1 chain id", gov_create(env, "<fresh>")),
        ("create without init params, no revision", gov_create(env, "<fresh-norev>")),
        ("create init params rev 2 on -1", gov_create(env, "<fresh>", initialization_parameters=_proto_init(2))),
        ("create partial double_sign",
         gov_create(env, "<fresh>", infraction_parameters={"double_sign": {"slash_fraction": "0.1"}})),
        ("update gov-owned top_N 95", _gov_update(env, env.gov_owned, power_shaping_parameters={"top_N": 95})),
        ("update user-owned consumer",
         _gov_update(env, env.registered, metadata={"name": "x", "description": "y", "metadata": "z"})),
        ("update missing consumer 999",
         _gov_update(env, "999", metadata={"name": "x", "description": "y", "metadata": "z"})),
        ("update missing consumer 043",
         _gov_update(env, "0" + env.gov_owned, metadata={"name": "x", "description": "y", "metadata": "z"})),
        ("update stride new owner",
         _gov_update(env, env.gov_owned, new_owner_address=encode_address(b"\x02" * 20, "stride"))),
        ("update blank new owner",
         _gov_update(env, env.gov_owned, new_owner_address="  ",
                     metadata={"name": "g", "description": "d", "metadata": "m"})),
    ]
    for label, msg in executed:
        out.append(Case(f"gov exec: {label}", "gov", "gov", gov_envelope(env, [msg])))
    return out


def _proto_init(rev: int) -> dict[str, Any]:
    ip = init_params(rev)
    for key in ("unbonding_period", "ccv_timeout_period", "transfer_timeout_period"):
        ip[key] = f"{ip[key] // 10**9}s"
    for key in ("blocks_per_distribution_transmission", "historical_entries"):
        ip[key] = str(ip[key])
    ip["initial_height"] = {"revision_number": str(rev), "revision_height": "1"}
    return ip


def _gov_update(env: Env, consumer_id: str, **fields: Any) -> dict[str, Any]:
    return {"@type": "/interchain_security.ccv.provider.v1.MsgUpdateConsumer", "owner": env.gov,
            "consumer_id": consumer_id, **fields}
