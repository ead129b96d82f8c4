"""Double-vote and light-client-attack parsing and local verification; downtime analysis."""
