"""Pages open to everyone without signing in."""
