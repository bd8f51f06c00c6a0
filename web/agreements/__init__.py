"""Service agreements and service records."""
