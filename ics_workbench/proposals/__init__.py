"""Proposal and provider-message drafting: pydantic models per kind and provider version, rules, JSON formats."""
