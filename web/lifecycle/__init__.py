"""Counselor pages for life after appointment: strike-off, evidence, accounts."""
