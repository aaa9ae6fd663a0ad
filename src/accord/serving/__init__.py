"""How `accord serve` runs uvicorn: its listening socket, its workers, and a graceful shutdown."""
