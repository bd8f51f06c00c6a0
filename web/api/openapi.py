"""The OpenAPI 3.1 document of the API, built by spectree from the routes' models."""

from web.api.blueprint import blueprint, spec
from web.api.errors import json_response


@blueprint.get("/openapi.json")
def openapi():
    """Return the OpenAPI document; it needs no token."""
    return json_response(spec.spec)
