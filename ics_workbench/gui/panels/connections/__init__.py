"""Connections: saved profiles, connect/disconnect/refresh, and the provider or consumer overview."""
