"""Reads that belong together, answered from one block height.

A provider overview or an overlap analysis combines many REST reads (validator pages, params, every consumer's
opt-ins and keys). Without a common height, a block committed between two reads can make the combination
describe a state the chain was never in: a simulation then "differs from the provider" although both were
right at their own height. Every GET through a :class:`PinnedHttp` carries the SDK's
``x-cosmos-block-height`` header (see :data:`.http.HEIGHT_HEADER`), so the node answers from that height; the
height is then shown with the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ics_workbench.chain.absent import route_absent
from ics_workbench.chain.http import Answer, JsonHttp, state_missing
from ics_workbench.chain.provider import ProviderClient
from ics_workbench.chain.rest import RestClient
from ics_workbench.errors import EndpointError
from ics_workbench.tasks import NO_JOB, Job


class PinnedHttp(JsonHttp):
    """The same endpoints and connection pool as ``base``, with every GET pinned to ``height``.

    It shares ``base``'s HTTP client and statistics and does not own them: closing it closes nothing."""

    def __init__(self, base: JsonHttp, height: int) -> None:  # shares base's state instead of super().__init__
        if height <= 0:
            raise ValueError(f"a pinned height must be a positive block height, got {height!r}")
        self.__dict__.update(base.__dict__)
        self.height = height

    def fetch(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        archive: bool = False,
        height: int | None = None,
        job: Job = NO_JOB,
    ) -> Answer:
        return super().fetch(path, params, archive=archive, height=self.height if height is None else height, job=job)

    def close(self) -> None:
        """The base client owns the connections."""


def settled_height(rest: RestClient, *, job: Job = NO_JOB) -> int | None:
    """The newest height whose state the REST node has committed: its latest block H, unless the app has not
    finished committing H yet (CometBFT stores block H before the app commits H's state), then H - 1.

    A cheap state query pinned to H tells which: the node answers it, or says the height is in the future or
    its state is missing. So a read made right after a transaction was included sees that transaction.
    None when the node does not serve its latest block at all (404/501): the reads then go unpinned, as
    :data:`UNPINNED_NOTE` tells the user. Any other failure propagates."""
    try:
        _, latest, _ = rest.latest_head(job=job)
    except EndpointError as error:
        if route_absent(error):
            return None
        raise
    try:
        rest.http.fetch(_PROBE, height=latest, job=job)
    except EndpointError as error:
        if route_absent(error) or _not_committed(error):
            return max(1, latest - 1)
        raise
    return latest


_PROBE = "/cosmos/staking/v1beta1/params"
"""a small query every SDK chain with validators serves, to learn whether the newest block's state is committed"""


def _not_committed(error: EndpointError) -> bool:
    return state_missing(error) or (error.kind == "http" and "height in the future" in error.detail)


UNPINNED_NOTE = "the REST node does not serve its latest block: reads were not pinned to one height"


def pinned_rest(rest: RestClient, height: int | None) -> RestClient:
    return rest if height is None else RestClient(PinnedHttp(rest.http, height), valcons_prefix=rest.valcons_prefix)


def pinned_provider(provider: ProviderClient, height: int | None) -> ProviderClient:
    return provider if height is None else ProviderClient(PinnedHttp(provider.http, height), provider.capabilities)
