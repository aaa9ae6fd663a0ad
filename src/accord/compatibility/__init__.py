"""Static compatibility checks of consumer contracts against a provider's OpenAPI spec, without running it."""
