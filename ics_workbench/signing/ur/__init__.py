"""Blockchain Commons Uniform Resources (UR): what Keystone and Keplr air-gapped signing speak.

`bytewords` (BCR-2020-012), `fountain` (the multi-part fountain code of BCR-2020-005), `codec` (UR text, single or
animated parts) and `keystone` (`cosmos-sign-request` / `cosmos-signature`, tags 4101/4102). No maintained UR
library exists on PyPI, so this is a minimal, complete implementation, cross-checked in tests/js against the npm
reference packages `@ngraveio/bc-ur` and `@keystonehq/bc-ur-registry-cosmos`. CBOR itself is `cbor2`.
"""
