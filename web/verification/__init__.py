"""Public verification of certificate numbers."""
