"""The matrix and can-i-deploy: Rack-style queries translated into native matrix queries, answers as HAL."""
