"""Validators & Overlaps: the overlap matrix, per-consumer risk, and the power-shaping simulator."""
