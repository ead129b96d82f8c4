"""Consumer phases are spelled one way inside the workbench, whatever the provider's REST answer used."""

from __future__ import annotations

import pytest

from ics_workbench.foundation.phases import normalize_phase, proto_phase
from ics_workbench.proto.gen.interchain_security.ccv.provider.v1 import provider_pb2


@pytest.mark.parametrize("name", provider_pb2.ConsumerPhase.keys())
def test_every_enum_value_normalises_from_name_and_number(name: str) -> None:
    short = name.removeprefix("CONSUMER_PHASE_")
    number = provider_pb2.ConsumerPhase.Value(name)
    assert (
        normalize_phase(name)
        == normalize_phase(short)
        == normalize_phase(number)
        == normalize_phase(str(number))
        == short
    )
    assert proto_phase(short) == proto_phase(name) == name
