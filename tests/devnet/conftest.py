"""Fixtures for tests against the REAL local ICS provider chain (`interchain-security-pd` v7.0.0).

Every test in `tests/devnet/` is marked `devnet` automatically. If the binary cannot be built or the chain
cannot start, the fixtures raise (the tests ERROR); they never skip.

Fixture `devnet` (session-wide, started and seeded once; SHARED: do not tombstone, jail, unbond or otherwise
break validators A/B/C or the seeded consumers there; use `devnet_factory` for destructive tests) is an
`ics_workbench.devnet.node.Devnet`. Tests run in file order on the same chain and MAY ADD state (consumers,
proposals, balances): never assume the seeded consumers or proposal 1 are the only ones; select by the ids in
`devnet.seeded`, or compare against a query made in the same test.

  Endpoints / identity
    devnet.chain_id          "provider"
    devnet.rpc_url           "http://127.0.0.1:<port>"   CometBFT RPC (/status, /validators, /block, /tx ...)
    devnet.rest_url          "http://127.0.0.1:<port>"   Cosmos REST API (LCD, incl. /interchain_security/...)
    devnet.grpc_address      "127.0.0.1:<port>"
    devnet.node_address      "tcp://127.0.0.1:<port>"    for the binary's --node flag
    devnet.home, devnet.binary (Path), devnet.denom ("stake"), devnet.gov_address (gov module account)
    devnet.settings          ChainSettings (voting_period "8s", expedited "4s", min_deposit 10000000 stake,
                             expedited_min_deposit 50000000, blocks_per_epoch 1, timeout_commit 500ms)

  Accounts (throwaway, generated per run; keys live in the node's `test` keyring under these names)
    devnet.accounts          {"val-a", "val-b", ["val-c"], "user"} -> DevnetAccount
    devnet.validator_a       >2/3 power, runs the node
    devnet.validator_b       ~1% power, genesis only (never signs; large signed_blocks_window so not jailed)
    devnet.validator_c       None unless Devnet(with_validator_c=True)
    devnet.user              funded non-validator account
    DevnetAccount: .name .address .mnemonic (secret; repr hides it) .valoper .valcons .consensus_key
                   .self_delegation .is_validator
    ConsensusKey (ics_workbench.devnet.keys): .seed (32-byte ed25519 private seed) .public_key .public_key_b64
                   .address (20 bytes) .valcons .pubkey_json() .sign(message) -> 64-byte signature
    Every account holds 10^15 stake.

  Commands
    devnet.query(*args) -> parsed JSON   e.g. devnet.query("provider", "list-consumer-chains")
    devnet.tx(*args, sender="user", gas=2000000) -> `query tx` JSON of the included tx; raises
        DevnetTxError(.code, .raw_log, .txhash) if CheckTx rejects it or the delivered tx has code != 0.
        e.g. devnet.tx("bank", "send", devnet.user.address, addr, "5stake", sender="user")
    devnet.cli(*args, stdin=None) -> CompletedProcess (raw binary call; raises DevnetError on exit != 0)
    devnet.rpc("status") / devnet.rpc("validators", height=5) -> CometBFT RPC `result`
    devnet.height(), devnet.wait_blocks(n=1) -> new height
    devnet.wait_for(probe, "what", timeout=60) -> first non-None/False value of probe() (poll, not sleep)
    devnet.write_json(name, data) -> Path (scratch file for CLI inputs, removed with the devnet)
    devnet.summary(show_mnemonics=False) -> dict; devnet.timings -> {"start_seconds", "seed_seconds", ...}

  Seeded state: devnet.seeded (ics_workbench.devnet.seed.SeedState)
    .consumers               tuple of SeededConsumer(consumer_id, chain_id, kind, expected_phase, top_n, owner,
                             opted_in (key names), name)
    .opt_in                  chain "consumer-1", LAUNCHED, A and B opted in (B with an assigned consumer key)
    .top_n                   chain "topn-1", LAUNCHED, top_N 95 set by gov proposal .top_n_proposal_id (PASSED),
                             owner = gov module
    .by_kind("registered")   chain "registered-1", CONSUMER_PHASE_REGISTERED (no spawn time)
    .by_kind("initialized")  chain "initialized-1", CONSUMER_PHASE_INITIALIZED (spawn time a year away)
    .assigned_key            ConsensusKey B uses on the opt-in consumer (sign double votes with it)
    .assigned_validator      "val-b"
    .launched                the LAUNCHED consumers
    All consumers use initial_height {1,1}; the opt-in consumer's min evidence height is 1.

Fixture `devnet_factory(seed=True, with_validator_c=False, settings=None) -> Devnet`: a fresh, isolated
chain per call (about 3 s to start + about 11 s to seed), stopped and deleted when the test ends. Use it for
anything destructive (e.g. tombstoning B with a double vote).

Fixture `consumer_node` (session-wide, started on first use, ~2 s): a live `interchain-security-cd` node
(ics_workbench.devnet.consumer.ConsumerNode) for the launched opt-in consumer of `devnet`, started from
`query provider consumer-genesis` and validated by A's key (A did not assign a consumer key). Its validator
set is A (provider key) + B (the assigned key, never signs). No relayer: no CCV channel, blocks still come.
    consumer_node.chain_id ("consumer-1"), .consumer_id, .rpc_url, .rest_url, .home
    consumer_node.rpc("validators", height=3) / rpc("block") / rpc("commit"), .height(), .wait_blocks(n)
For a consumer of a `devnet_factory` chain: `ConsumerNode(chain, consumer_id, binary=devnet_consumer_binary)`
as a context manager.

Fixture `ics_devnet` (session-wide, parametrised over ICS v4.2.0, v5.2.0, v6.4.1, v7.0.0; ids are the
versions, so `-k v5.2.0` runs one): a seeded provider of that release, one per version per session (the
v7.0.0 one IS `devnet`). Same API and seeded shapes as `devnet`; `.ics` is the release (an IcsVersion:
`.permissionless` False on v4/v5). On v4/v5 consumers are keyed by chain id (`consumer_id == chain_id`), were
added by legacy proposals, "initialized-1" is pending (passed, spawn time a year away) and "registered-1"
proposed (its addition proposal sits in the deposit period, id `.seeded.registered_proposal_id`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ics_workbench.devnet.build import CONSUMER_BINARY, ICS_VERSION, ICS_VERSIONS, ensure_binary
from ics_workbench.devnet.consumer import ConsumerNode
from ics_workbench.devnet.genesis import ChainSettings
from ics_workbench.devnet.node import Devnet

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.devnet)


@pytest.fixture(scope="session")
def devnet_binary() -> Path:
    """The provider binary, built (minutes, once per machine) if the cache has none: fails loudly on error."""
    return ensure_binary().binary


@pytest.fixture(scope="session")
def devnet(devnet_binary: Path) -> Iterator[Devnet]:
    """The session-wide, seeded provider chain (see the module docstring for its API)."""
    chain = Devnet(binary=devnet_binary)
    try:
        chain.start()
        chain.seed()
        yield chain
    finally:
        chain.stop()


@pytest.fixture(scope="session")
def devnet_consumer_binary() -> Path:
    """The consumer binary (built on demand like the provider's)."""
    return ensure_binary(name=CONSUMER_BINARY).binary


@pytest.fixture(scope="session")
def consumer_node(devnet: Devnet, devnet_consumer_binary: Path) -> Iterator[ConsumerNode]:
    """A live consumer chain for the session devnet's launched opt-in consumer."""
    node = ConsumerNode(devnet, devnet.seeded.opt_in.consumer_id, binary=devnet_consumer_binary)
    try:
        node.start()
        yield node
    finally:
        node.stop()


@pytest.fixture(scope="session", params=ICS_VERSIONS, ids=ICS_VERSIONS)
def ics_devnet(request: pytest.FixtureRequest) -> Iterator[Devnet]:
    """A seeded provider of each ICS release (see the module docstring), built on demand like `devnet`'s."""
    version: str = request.param
    if version == ICS_VERSION:
        yield request.getfixturevalue("devnet")
        return
    chain = Devnet(binary=ensure_binary(version=version).binary, ics_version=version)
    try:
        chain.start()
        chain.seed()
        yield chain
    finally:
        chain.stop()


DevnetFactory = Callable[..., Devnet]


@pytest.fixture
def devnet_factory(devnet_binary: Path) -> Iterator[DevnetFactory]:
    """Make isolated chains for destructive tests; all are stopped and deleted after the test."""
    made: list[Devnet] = []

    def make(seed: bool = True, with_validator_c: bool = False, settings: ChainSettings | None = None) -> Devnet:
        chain = Devnet(binary=devnet_binary, settings=settings, with_validator_c=with_validator_c)
        made.append(chain)
        chain.start()
        if seed:
            chain.seed()
        return chain

    try:
        yield make
    finally:
        for chain in made:
            chain.stop()


@pytest.fixture(scope="module")
def govnet(devnet_binary: Path) -> Iterator[Devnet]:
    """A fresh chain per test module with short gov periods (tests.devnet.gov_chain.GOV_SETTINGS), unseeded."""
    from tests.devnet.gov_chain import GOV_SETTINGS

    chain = Devnet(binary=devnet_binary, settings=GOV_SETTINGS)
    try:
        chain.start()
        yield chain
    finally:
        chain.stop()
