"""The notification list, email preferences and delivery status pages."""
