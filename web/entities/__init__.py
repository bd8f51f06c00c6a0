"""Pages to look up and add served entities."""
