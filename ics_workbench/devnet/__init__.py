"""A real local ICS provider chain: build the binary, create genesis, start, seed, stop.

- `build`: `ensure_binary()` builds `interchain-security-pd`/`-cd` (ICS v7.0.0, go1.23.12, CGO off) from the
  repository's `devnet/` Go module into a machine-wide cache keyed by ICS version, go.sum and Go version.
- `node`: `Devnet`, one provider node on free loopback ports with throwaway keys, always cleaned up.
- `seed`: `seed(devnet)`, the consumers the workbench shows (opt-in, Top N via gov, pre-launch phases).
- `consumer`: `ConsumerNode`, a live consumer chain for a launched consumer, from the provider's genesis.
"""
