"""Liveness and readiness probes for the process supervisor and the proxy."""
