"""Facts every layer shares, each defined once: coins and denoms, time and duration codecs, consumer phases,
block ids.

This package is the bottom layer: it imports nothing from the rest of ``ics_workbench`` (import-linter's
``layers`` contract holds it there), so chain clients, proposal rules, evidence and signing can all use it.
"""
