"""Spreadsheet import pages."""
