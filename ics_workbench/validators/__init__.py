"""Validator sets, key-assignment mapping, overlaps and the power-shaping simulator."""
