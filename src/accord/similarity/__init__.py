"""Similarity search over recorded interactions and fixtures (pgvector, HNSW on feature-hashed requests)."""
