"""Queue claims, reassignment and bulk actions."""
