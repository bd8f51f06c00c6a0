"""Response declarations shared by the API views, for validation and the document."""

from spectree import Response

from web.api.schemas import ErrorBody

# Errors every route with a token can return.
COMMON_ERRORS = ("HTTP_401", "HTTP_422", "HTTP_429")
# Errors of a request body that is not one JSON object of a bounded size.
BODY_ERRORS = ("HTTP_400", "HTTP_413", "HTTP_415")


def responses(*error_codes, **models):
    """Return a spectree ``Response`` of ``models`` plus the listed error codes."""
    codes = dict.fromkeys((*COMMON_ERRORS, *error_codes), ErrorBody)
    return Response(**codes, **models)
