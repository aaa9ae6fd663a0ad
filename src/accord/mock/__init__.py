"""The mock of a provider version: answers consumer CI like the provider would, from fixtures and the spec."""
