"""Where to send a user after sign-in: only to a path on this site."""

import re
from urllib.parse import unquote, urlsplit

# Browsers drop tabs and newlines inside URLs and treat a backslash like a
# slash, so "/\t/evil.example" and "/\\evil.example" both leave the site.
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def safe_next(target):
    """Return ``target`` if it is a local path, else None."""
    if not target:
        return None
    for candidate in (target, unquote(target)):
        if _UNSAFE.search(candidate):
            return None
        if not candidate.startswith("/") or candidate.startswith("//"):
            return None
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return None
    return target
