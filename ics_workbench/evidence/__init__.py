"""Double-vote and light-client-attack parsing and local verification; downtime analysis.

Entry points (all Qt-free):

- ``parse.parse_evidence_document(text)`` -> items: DuplicateVoteEvidence (proto-JSON, RPC ``/block``,
  ``{type,value}``, a MsgSubmitConsumerDoubleVoting, two raw votes paired in CometBFT order), StoredEquivocation
  (x/evidence), or raw light-client JSON. Every failure is a ``model.ParseError`` naming the JSON path.
- ``verify.verify_document(text, chain_id, user_key=, header=, validators_for=)`` / ``verify.verify_item`` ->
  ``ItemResult(item, Verdict)``; ``checks.verify_double_vote`` runs the named steps.
- ``signbytes.vote_sign_bytes(chain_id, vote)`` (CanonicalVote from ``ics_workbench.proto``).
- ``submission.prepare_double_vote_submission(result, provider_connection, consumer_chain_id, submitter)``
  -> mapping, admissibility, consequence, header, ``MsgSubmitConsumerDoubleVoting``, report, gaiad files.
- ``messages``: ``double_voting_msg``, ``misbehaviour_msg``, ``for_gov_proposal``, ``cli_files``.
- ``light_client.verify_light_client_item``; ``downtime.downtime_rows`` / ``downtime.missed_blocks``;
  ``scan.scan`` (block_search, header scan or per block; streamed, cancellable); ``report.EvidenceReport`` (JSON +
  Markdown).
"""
