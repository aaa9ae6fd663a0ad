"""The Pact Broker compatible API: the HAL resources real Pact clients (the `pact` CLI, pact-js, pact-jvm,
pact-python) call, over the same data as Accord's native /api."""
