"""The Governance panel: proposals of any connected Cosmos SDK chain, and vote / weighted vote / deposit."""
