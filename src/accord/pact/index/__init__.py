"""The HAL index: the relations Pact clients look up by name."""
