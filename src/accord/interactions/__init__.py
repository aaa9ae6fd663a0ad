"""Recorded interactions: the request/response pairs consumer CI uploads, deduplicated per consumer version."""
