"""Appointment certificates: printing one or a batch as PDF."""
