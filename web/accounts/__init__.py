"""Account administration pages."""
