"""Pages to enter and change a counselor's service and training records."""
