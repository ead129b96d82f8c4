"""Fuzzing every endpoint decoder: a node's real-shaped answers (the fake chain's, per ICS family) mutated
structurally; every client call either decodes or raises a WorkbenchError (EndpointError shape/limit...), never
another exception. ``ICSW_FUZZ_EXAMPLES`` per decoder (default 25)."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from ics_workbench.chain.comet import CometRpc
from ics_workbench.chain.detect import Capabilities
from ics_workbench.chain.http import Answer, Endpoint
from ics_workbench.chain.provider import ProviderClient
from ics_workbench.chain.rest import RestClient
from ics_workbench.errors import WorkbenchError
from ics_workbench.tasks import NO_JOB, Job
from tests.chain.fakechain import FakeChain
from tests.security.mutate import mutated_json

EXAMPLES = int(os.environ.get("ICSW_FUZZ_EXAMPLES", "25"))
URL = "http://node.invalid"
CAPS = Capabilities(has_provider=True, ics_version="v7.0.0", ics_major=7, keyed_by="consumer_id",
                    msg_create_consumer=True, consumer_msgs_via_gov=True, power_shaping=True, epochs=True,
                    allowlisted_reward_denoms=True, infraction_parameters=True)


class MutatingHttp:
    """Answers like the fake chain, except ``target``'s answer, which is replaced by ``mutated``."""

    def __init__(self, chain: FakeChain, target: str, mutated: bytes) -> None:
        self.endpoints = [Endpoint(URL)]
        self.chain, self.target, self.mutated = chain, target, mutated

    def fetch(self, path: str, params: Mapping[str, Any] | None = None, *, archive: bool = False,
              height: int | None = None, job: Job = NO_JOB) -> Answer:
        from ics_workbench import safejson
        from ics_workbench.errors import EndpointError

        if path == self.target:
            try:
                return Answer(URL + path, safejson.loads(self.mutated))
            except ValueError as exc:
                raise EndpointError(URL + path, "json", f"answer is not valid JSON: {exc}") from None
        status, data = self.chain.route(path, {k: str(v) for k, v in (params or {}).items()})
        if status != 200:
            raise EndpointError(URL + path, "http", f"HTTP {status}", status=status)
        return Answer(URL + path, copy.deepcopy(data))

    def get_json(self, path: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.fetch(path, params, **kwargs).data


CHAIN = FakeChain(validators=3, consumers=2)
DECODERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "rpc status": ("/status", lambda h: CometRpc(h).status()),
    "rpc validators": ("/validators", lambda h: CometRpc(h).validators()),
    "rpc block": ("/block", lambda h: CometRpc(h).block(5)),
    "rpc commit": ("/commit", lambda h: CometRpc(h).commit(5)),
    "rest node_info": ("/cosmos/base/tendermint/v1beta1/node_info", lambda h: RestClient(h).node_info()),
    "rest latest block": ("/cosmos/base/tendermint/v1beta1/blocks/latest", lambda h: RestClient(h).latest_head()),
    "rest validators": ("/cosmos/staking/v1beta1/validators", lambda h: RestClient(h).validators()),
    "rest slashing params": ("/cosmos/slashing/v1beta1/params", lambda h: RestClient(h).slashing_params()),
    "rest signing infos": ("/cosmos/slashing/v1beta1/signing_infos", lambda h: RestClient(h).signing_infos()),
    "provider params": ("/interchain_security/ccv/provider/params", lambda h: ProviderClient(h, CAPS).params()),
    "provider epoch": ("/interchain_security/ccv/provider/blocks_until_next_epoch",
                       lambda h: ProviderClient(h, CAPS).blocks_until_next_epoch()),
}


def seed(path: str) -> bytes:
    status, data = CHAIN.route(path, {"height": "5"} if path in ("/block", "/commit") else {})
    assert status == 200, path
    return json.dumps(data).encode()


@pytest.mark.parametrize("name", DECODERS)
def test_seed_answer_decodes(name: str) -> None:
    path, call = DECODERS[name]
    call(MutatingHttp(CHAIN, path, seed(path)))


@pytest.mark.parametrize("name", DECODERS)
def test_fuzz_endpoint_decoder(name: str) -> None:
    path, call = DECODERS[name]

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(answer=mutated_json(seed(path)))
    def fuzz(answer: bytes) -> None:
        try:
            call(MutatingHttp(CHAIN, path, answer))
        except WorkbenchError as error:
            assert str(error)

    fuzz()
