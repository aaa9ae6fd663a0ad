"""Retention: removing old versions and what nothing uses any more (`accord clean`, and on a schedule)."""
