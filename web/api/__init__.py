"""The JSON API under /api/v1 for provincial systems and scripts.

``blueprint`` contains every route, and ``spec`` validates request bodies and
queries against the models in ``schemas`` and builds the OpenAPI document
from them. Importing the view modules registers their routes.
"""

from web.api import (  # noqa: F401
    centers,
    counselors,
    docs_page,
    openapi,
    registry,
    steps,
)
from web.api.blueprint import blueprint


def init_app(app):
    """Register the API blueprint on ``app``."""
    app.register_blueprint(blueprint)
