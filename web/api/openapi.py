"""The OpenAPI 3.1 document of the API, built by spectree from the routes' models."""

from flask import jsonify

from web.api.blueprint import blueprint, spec


@blueprint.get("/openapi.json")
def openapi():
    """Return the OpenAPI document; it needs no token."""
    return jsonify(spec.spec)
