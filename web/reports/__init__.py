"""The annual report pages."""
