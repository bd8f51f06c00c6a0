"""Ways to find things on Fudao's pages the way a user reads them."""

import re


def field(page, label):
    """Return the form control labelled ``label``, with or without its "*"."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\*?$"))


def button(page, name):
    """Return the button whose text is exactly ``name``."""
    return page.get_by_role("button", name=name, exact=True)
