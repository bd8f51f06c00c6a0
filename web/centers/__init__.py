"""Service-center application pages."""
