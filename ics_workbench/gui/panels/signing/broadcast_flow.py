"""Broadcasting a signed file from the GUI (no Qt here): the same checks and steps as ``ics-workbench tx
broadcast`` - verify every signature, compare chain id / account number / sequence with the node, broadcast
(sync), track until included, then record the outcome in the file. A failure raises the core's
``BroadcastError``, whose message says where the signed transaction was kept."""

from __future__ import annotations

from pathlib import Path

from ics_workbench.errors import WorkbenchError
from ics_workbench.signing.broadcast import Broadcaster, TxResult, tx_hash
from ics_workbench.signing.offline_file import SigningFile, check_for_chain, mark_broadcast, verify
from ics_workbench.tasks import Job


def broadcast_file(file: SigningFile, rest_url: str, path: Path | None, job: Job) -> tuple[TxResult, SigningFile]:
    """Returns the included result and the file marked ``broadcast`` (also written to ``path`` when given)."""
    if file.tx_bytes is None:
        raise WorkbenchError(f"the file is {file.state.replace('_', ' ')}: sign (and for a multisig, combine) it first")
    verify(file)
    with Broadcaster(rest_url) as client:
        chain_id = client.chain_id(job=job)
        account = client.account(file.address, job=job)
        check_for_chain(file, chain_id=chain_id, account_number=account.account_number, sequence=account.sequence)
        job.progress(0.1, f"broadcasting {tx_hash(file.tx_bytes)}")
        result = client.broadcast(file.tx_bytes, file.to_json(), job=job)
    done = mark_broadcast(file, txhash=result.txhash, height=result.height, code=result.code, rest_url=rest_url)
    if path is not None:
        done.save(path)
    return result, done
