"""Governance for participants on any Cosmos SDK chain: read proposals (gov v1, v1beta1 fallback) and build the
vote, weighted vote and deposit messages a voter signs. Qt-free; the GUI's Governance panel and the
``ics-workbench gov`` commands both sit on it."""
