"""The public page that shows whether a certificate number is in force.

Anyone may open it without signing in, usually from the QR code printed on
a certificate. Every number ever issued, earlier terms' included, is
found; the page shows its status and the holder's name and type, nothing
else of the record. Requests are limited per client address (setting
``VERIFICATION_RATE_LIMIT``) so the page cannot be used to walk through
the number space.
"""

import logging

from flask import Blueprint, current_app, render_template, request

from workflow import clock
from workflow.certificate_register import find_certificate
from workflow.extensions import limiter
from workflow.forms.certificate import VerificationForm

logger = logging.getLogger(__name__)

blueprint = Blueprint("verification", __name__, url_prefix="/verify")


def _rate_limit():
    return current_app.config["VERIFICATION_RATE_LIMIT"]


# Both routes share one budget per client address.
verification_limit = limiter.shared_limit(_rate_limit, scope="verification")


def _result(number):
    certificate = find_certificate(number, clock.now().date())
    if certificate is None:
        logger.info("certificate verification: number not found")
        return render_template(
            "verification/show.html", form=VerificationForm(), certificate=None
        ), 404
    return render_template(
        "verification/show.html", form=VerificationForm(), certificate=certificate
    )


@blueprint.route("")
@verification_limit
def index():
    form = VerificationForm(formdata=request.args if request.args else None)
    if request.args and form.validate():
        return _result(form.number.data)
    return render_template("verification/index.html", form=form)


@blueprint.route("/<path:number>")
@verification_limit
def show(number):
    return _result(number)
