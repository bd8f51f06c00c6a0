"""Counselor record pages: nomination, edit, detail with history, steps."""
