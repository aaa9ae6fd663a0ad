"""The broker's webhook resources, translated to and from the native webhooks."""
