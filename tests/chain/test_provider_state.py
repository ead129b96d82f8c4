"""The provider state a proposal check reads: typed, complete, and every read answered from one height."""

from __future__ import annotations

from collections.abc import Callable

from ics_workbench.chain.http import Endpoint, JsonHttp
from ics_workbench.proposals.chain_facts import fetch_provider_facts
from tests.chain.fakechain import FakeChain

P = "/interchain_security/ccv/provider"


def test_facts_are_read_at_the_settled_height_which_they_carry(fake_chain: Callable[..., FakeChain]) -> None:
    chain = fake_chain(family="v7", validators=5, consumers=2)
    chain.committed = chain.height - 1  # block H stored, its state not yet committed: H - 1 is the settled height
    with JsonHttp([Endpoint(chain.url)], retries=0) as http:
        facts = fetch_provider_facts(http, version="v7.0.0", consumer_ids=["0", "x", "1", "7"])
    assert facts.height == chain.height - 1
    state_reads = [(path, h) for path, h in chain.pinned if not path.startswith("/cosmos/base/tendermint")]
    assert {path for path, _ in state_reads} >= {
        "/cosmos/staking/v1beta1/params", "/cosmos/gov/v1/params/tallying", f"{P}/params",
        "/cosmos/staking/v1beta1/validators", f"{P}/consumer_chain/0", f"{P}/consumer_chain/1",
    }
    unpinned = [path for path, h in state_reads if h != str(chain.height - 1)]
    assert unpinned == ["/cosmos/staking/v1beta1/params"]  # only the probe that found block H not committed
    assert list(facts.consumers) == ["0", "1"] and facts.consumers["0"].chain_id == chain.consumer(0)["chain_id"]
    assert list(facts.missing_consumers) == ["7"] and "x" not in facts.missing_consumers  # "x" never asked for
    assert facts.provider_params is not None and "template_client" in facts.provider_params
    assert facts.max_validator_tokens == max(int(chain.validator(i)["tokens"]) for i in range(5))
