"""The operator's view of a running Accord: Prometheus metrics, structured log lines, slow-query reports."""
