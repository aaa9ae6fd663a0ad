"""Idempotency-Key on the native API's POSTs: a retry gets the first attempt's response instead of a second write."""
