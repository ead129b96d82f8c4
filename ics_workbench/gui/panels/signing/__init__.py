"""The Keys & Signing panel: keys in the OS keyring, and the offline (air-gapped) signing round trip.

Every decision (key derivation, file checks, signing, verification, broadcast) is the core's
(``ics_workbench.signing``); these widgets only collect input, run the core through the runtime and show results.
"""
