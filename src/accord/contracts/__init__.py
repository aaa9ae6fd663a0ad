"""Contracts: which distinct set of interactions a consumer version expects of a provider."""
