"""Deterministic embeddings of requests, for similarity search and the mock's nearest fixture."""
