"""Registry export pages."""
