"""A real local ICS provider chain: build the binary, create genesis, start, seed, stop."""
