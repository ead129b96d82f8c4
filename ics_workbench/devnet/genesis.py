"""The devnet's chain settings: genesis parameters and CometBFT config edits, as pure functions over text/JSON.

Why these values: a single validator node must finish a full governance cycle and launch consumers within a
test's patience (seconds, not the mainnet's days), while genesis-only validators that never sign must stay
bonded and unjailed for the whole session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

DENOM = "stake"


@dataclass(frozen=True)
class ChainSettings:
    """Tunables of a devnet; the defaults are what the tests and `ics-workbench devnet up` use."""

    chain_id: str = "provider"
    voting_period: str = "8s"
    expedited_voting_period: str = "4s"
    min_deposit: int = 10_000_000
    expedited_min_deposit: int = 50_000_000
    min_initial_deposit_ratio: str | None = None  # SDK default "0.0" (no minimum); a decimal string sets one
    blocks_per_epoch: int = 1
    # Genesis-only validators never sign; a window this large keeps them unjailed for ~14 hours of 0.5s blocks.
    signed_blocks_window: int = 100_000
    timeout_commit: str = "500ms"
    # Only rounds proposed by a genesis-only validator wait for this; keep them short.
    timeout_propose: str = "1s"
    # Provider x/staking unbonding time ("" keeps the SDK's 21 days): a test that needs a validator to finish
    # unbonding (BOND_STATUS_UNBONDED) sets a few seconds on a chain of its own.
    unbonding_time: str = ""


def patch_genesis(genesis: dict[str, Any], settings: ChainSettings) -> dict[str, Any]:
    """Apply the devnet parameters to a freshly initialised genesis (returns the same, modified dict)."""
    app = genesis["app_state"]
    gov = app["gov"]["params"]
    gov["voting_period"] = settings.voting_period
    gov["min_deposit"] = [{"denom": DENOM, "amount": str(settings.min_deposit)}]
    if "expedited_voting_period" in gov:  # SDK 0.50+ (ICS v5+); SDK 0.47 (ICS v4) has no expedited proposals
        gov["expedited_voting_period"] = settings.expedited_voting_period
        gov["expedited_min_deposit"] = [{"denom": DENOM, "amount": str(settings.expedited_min_deposit)}]
    if settings.min_initial_deposit_ratio is not None:
        gov["min_initial_deposit_ratio"] = settings.min_initial_deposit_ratio
    app["slashing"]["params"]["signed_blocks_window"] = str(settings.signed_blocks_window)
    app["provider"]["params"]["blocks_per_epoch"] = str(settings.blocks_per_epoch)
    if settings.unbonding_time:
        app["staking"]["params"]["unbonding_time"] = settings.unbonding_time
    return genesis


def _set_toml(text: str, key: str, value: str) -> str:
    pattern = re.compile(rf"^{re.escape(key)} = .*$", re.MULTILINE)
    if not pattern.search(text):
        raise ValueError(f"config key {key!r} not found; the CometBFT config layout changed")
    return pattern.sub(f"{key} = {value}", text, count=1)


def patch_config_toml(text: str, settings: ChainSettings) -> str:
    """Fast blocks and no fixed ports (pprof off): several devnets may run side by side."""
    text = _set_toml(text, "timeout_commit", f'"{settings.timeout_commit}"')
    text = _set_toml(text, "timeout_propose", f'"{settings.timeout_propose}"')
    text = _set_toml(text, "pprof_laddr", '""')
    text = _set_toml(text, "addr_book_strict", "false")
    # A lone node has no one to block-sync from: CometBFT 0.37 (ICS v4) then waits for peers forever instead of
    # producing blocks. The gentx memos' addresses (collect-gentxs) are not peers either.
    if re.search(r"^block_sync = ", text, re.MULTILINE):  # CometBFT 0.37 only; 0.38 switches by itself
        text = _set_toml(text, "block_sync", "false")
    text = _set_toml(text, "persistent_peers", '""')
    return text
