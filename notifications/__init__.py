"""Email and in-product notifications."""
