"""Applicant self-registration pages."""
