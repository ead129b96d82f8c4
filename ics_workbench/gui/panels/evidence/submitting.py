# mypy: disable-error-code="misc"
# (a mixin's methods are typed `self: EvidencePanel`; mypy flags a self type narrower than the mixin as [misc])
"""Submitting a verified double vote from the Evidence panel: the admissibility pre-check (with the slash
consequence and the provider's min deposit), the two buttons' state and reason, and the hand-off to Keys &
Signing as ``MsgSubmitConsumerDoubleVoting`` or as a gov slash proposal. ``EvidencePanel`` inherits these.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

from ics_workbench.untrusted_text import visible

if TYPE_CHECKING:
    from ics_workbench.evidence.submission import DoubleVoteSubmission
    from ics_workbench.gui.panels.evidence.panel import EvidencePanel, EvidenceRow
    from ics_workbench.tasks import Job

log = logging.getLogger(__name__)
ERROR_STYLE = "color: #c0392b;"
NO_PROVIDER = "(no provider: skip mapping)"
SUBMIT_TIP = "MsgSubmitConsumerDoubleVoting signed by the submitter (opens Keys & Signing)"
PROPOSAL_TIP = "gov v1 MsgSubmitProposal whose one message is the double vote, the gov module as its submitter"


def _min_deposit(conn: Any, job: Job) -> str:
    """The provider's gov min deposit as coins text, to prefill the slash proposal's deposit ("" if unknown:
    the proposal then waits for deposits, which the user may prefer anyway)."""
    from ics_workbench.errors import WorkbenchError

    try:
        params = conn.rest.gov_params(job=job)
    except WorkbenchError as exc:
        log.info("gov params not readable, deposit left to the user: %s", exc)
        return ""
    return ",".join(f"{coin.amount}{coin.denom}" for coin in params.min_deposit)


def _consequence_text(preview: dict[str, Any] | None) -> str:
    if not preview or "slash_fraction" not in preview:
        return (preview or {}).get("source", "unknown")
    fraction = float(preview["slash_fraction"])
    return (f"slash {fraction:.2%} (at least {preview['tokens_slashed_at_least']:,} of {preview['tokens_before']:,} "
            f"tokens), jail {preview['jail']}{', tombstone' if preview['tombstone'] else ''} — {preview['source']}")
class DoubleVoteSubmitting:
    """The submission part of ``EvidencePanel`` (mixed in; the selection and the widgets live on the panel)."""

    def _prepare(self: EvidencePanel, row: EvidenceRow, lease: Any, chain_id: str) -> None:
        """Admissibility pre-check, consequence and the message, built once per selected item; the submitter
        is filled in at hand-off time, so changing it needs no new round trip."""
        from ics_workbench.evidence.submission import prepare_double_vote_submission  # GUI thread: see verify()

        consumer_lease = self._consumer_lease(chain_id)

        def op(job: Job) -> tuple[DoubleVoteSubmission, str]:
            conn = lease.acquire(job)
            consumer_rpc = consumer_lease.acquire(job).rpc_http if consumer_lease is not None else None
            submission = prepare_double_vote_submission(row.result, conn, chain_id, "", consumer_rpc=consumer_rpc,
                                                        job=job)
            return submission, _min_deposit(conn, job)

        def done(prepared: tuple[DoubleVoteSubmission, str]) -> None:
            submission, min_deposit = prepared
            if min_deposit and not self.deposit_edit.text().strip():
                self.deposit_edit.setText(min_deposit)
            blockers = submission.blockers()
            if blockers:
                text = "<b>Cannot submit:</b><br>" + "<br>".join(f"• {b}" for b in blockers)
            else:
                text = (f"Admissible: every pre-check passed; infraction header: {submission.header_source}.<br>"
                        f"Consequence: {_consequence_text(submission.report.consequence)}")
            self._set_submittable(submission, text)
            self.sig_prepared.emit(submission)

        def failed(message: str, _error: BaseException) -> None:
            self._set_submittable(None, f"<b>Cannot submit:</b> {html.escape(visible(message))}", blocked=True)

        self.precheck_label.setText("running the admissibility pre-check…")
        self.context.runtime.run(op, on_success=done, on_failure=failed, progress_label="evidence pre-check",
                                 latest=self._latest_precheck)

    def _set_submittable(self: EvidencePanel, submission: DoubleVoteSubmission | None, text: str, *,
                         blocked: bool = False) -> None:
        """Enable the two buttons only for a prepared submission without blockers; otherwise the reason is
        shown under "Submission" and as the buttons' tooltip."""
        self.submission = submission
        ok = submission is not None and submission.ready
        self.submit_button.setEnabled(ok)
        self.proposal_button.setEnabled(ok)
        self.precheck_label.setText(text)
        self.precheck_label.setStyleSheet(ERROR_STYLE if blocked or (submission is not None and not ok) else "")
        plain = text.replace("<br>", "\n").replace("<b>", "").replace("</b>", "")
        self.submit_button.setToolTip(SUBMIT_TIP if ok else plain)
        self.proposal_button.setToolTip(PROPOSAL_TIP if ok else plain)

    def _provider_connection(self: EvidencePanel) -> Any:
        name = self.provider_combo.currentText()
        lease = self.context.lease(name) if name != NO_PROVIDER else None
        return lease.peek() if lease is not None else None  # a quick look at its profile, no request

    def _request_kwargs(self: EvidencePanel) -> dict[str, Any]:
        conn = self._provider_connection()
        prefix = conn.rest.valcons_prefix.removesuffix("valcons") if conn is not None and conn.rest else None
        version = conn.capabilities.ics_version if conn is not None else None
        return {"ics_version": version, "account_prefix": prefix}

    def sign_and_submit(self: EvidencePanel) -> None:
        """Hand ``MsgSubmitConsumerDoubleVoting`` (submitter = the chosen account) to Keys & Signing."""
        from ics_workbench.errors import WorkbenchError
        from ics_workbench.evidence.submission import direct_signing_request

        if self.submission is None:
            return
        try:
            request = direct_signing_request(self.submission, self.submitter(), **self._request_kwargs())
        except WorkbenchError as exc:
            self._fail(str(exc))
            return
        self.error_label.clear()
        self.context.request_signing(request)

    def submit_as_proposal(self: EvidencePanel) -> None:
        """Hand a gov v1 ``MsgSubmitProposal`` wrapping the double vote (gov module as submitter)."""
        from ics_workbench.errors import WorkbenchError
        from ics_workbench.evidence.submission import slash_proposal_signing_request

        if self.submission is None:
            return
        try:
            request = slash_proposal_signing_request(self.submission, self.submitter(),
                                                     deposit=self.deposit_edit.text(), **self._request_kwargs())
        except WorkbenchError as exc:
            self._fail(str(exc))
            return
        self.error_label.clear()
        self.context.request_signing(request)
