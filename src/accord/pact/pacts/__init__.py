"""The Pact Broker's pacts: publishing them, reading one or a collection, as HAL over the native contracts."""
