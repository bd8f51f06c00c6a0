"""URLs of record pages for lists that link every row to its record."""

from flask import url_for

# An id no table reaches, so that it cannot also appear elsewhere in a URL.
_PLACEHOLDER_ID = 987_654_321_987_654_321


def id_url_prefix(endpoint, argument):
    """Return the URL of ``endpoint`` without its trailing id ``argument``.

    A list page appends each row's id to this prefix, so that it calls
    ``url_for`` once per page rather than once per row. Raises ValueError
    when the id is not the last part of the endpoint's URL, where
    appending would build a wrong link.
    """
    url = url_for(endpoint, **{argument: _PLACEHOLDER_ID})
    prefix, placeholder, rest = url.rpartition(str(_PLACEHOLDER_ID))
    if not placeholder or rest:
        raise ValueError(
            f"the URL of {endpoint!r} does not end with its {argument!r}: {url}; "
            "use url_for for each row instead"
        )
    return prefix
