"""Clients for CometBFT RPC and Cosmos SDK REST endpoints, typed models, and provider version detection."""
