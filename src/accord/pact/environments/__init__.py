"""Environments, deployed versions and released versions as the Pact API addresses them (by id), over the
native environments and deployments services."""
