"""Pacts for verification, verification results and provider states as the Pact API addresses them, over the
native contract selection and verification services."""
