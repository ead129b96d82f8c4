"""A real local ICS provider chain: build the binary, create genesis, start, seed, stop.

- `build`: `ensure_binary(version=...)` builds `interchain-security-pd`/`-cd` of ICS v4.2.0, v5.2.0, v6.4.1 or
  v7.0.0 (default; go1.23.12, CGO off) from the repository's wrapper Go modules (`devnet/` for v7,
  `devnet/v4|v5|v6/`) into a machine-wide cache keyed by ICS version, go.sum and Go version, one build at a time.
- `node`: `Devnet(ics_version=...)`, one provider node on free loopback ports with throwaway keys, always
  cleaned up.
- `seed`: `seed(devnet)`, the consumers the workbench shows (opt-in, Top N via gov, pre-launch phases), made the
  version's own way (`seed_legacy`: legacy addition proposals on v4/v5).
- `consumer`: `ConsumerNode`, a live consumer chain for a launched consumer, from the provider's genesis.
"""
