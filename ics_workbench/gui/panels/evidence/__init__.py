"""Evidence panel: evidence list, per-check results, mapped provider validator."""
