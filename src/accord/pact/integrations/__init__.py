"""/integrations and /dashboard as the Pact API shows them, over the native integrations of contracts."""
