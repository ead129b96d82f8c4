"""Proposal and provider-message drafting: pydantic models per kind and provider version, rules, JSON formats.

Public API (what the GUI, the CLI and the signing flow call)::

    from ics_workbench.proposals.templates import KINDS, new_draft      # new_draft("make-top-n", facts)
    from ics_workbench.proposals.rules import validate                   # validate(draft, facts) -> [Problem]
    from ics_workbench.proposals.formats import load_text, dump_text     # "gov" | "provider-cli" | "legacy"
    from ics_workbench.proposals.diff import update_diff, params_diff    # field-by-field, resets flagged
    from ics_workbench.proposals.chain_facts import facts_from_connection, fetch_provider_facts
    from ics_workbench.proposals.drafts import DraftStore                # atomic autosave, list with state
    from ics_workbench.proposals.handoff import signing_request, offline_signing_file

``ProviderFacts`` (facts.py) is everything the rules know about the chain; leave parts empty offline and the
rules that need them stay silent.
"""
