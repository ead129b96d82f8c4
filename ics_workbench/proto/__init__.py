"""Protobuf messages cosmpy lacks (ICS provider, CanonicalVote), generated from the .proto files kept here."""
