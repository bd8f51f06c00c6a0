"""Turning a message kind and its values into a subject, text and HTML.

Each kind has a template notifications/templates/<kind>.txt with two
blocks, ``subject`` and ``body``. The plain-text body is written once; the
HTML part wraps its paragraphs in _layout.html. Undefined values raise, so
a template that lacks a variable fails loudly instead of mailing blanks.
"""

from dataclasses import dataclass
from pathlib import Path

import flask_babel
from flask import current_app
from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATE_DIRECTORY = Path(__file__).resolve().parent / "templates"
# Where links in emails point while PUBLIC_BASE_URL is unset: the address
# `make run` serves.
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"

_environments = {}


@dataclass(frozen=True)
class RenderedMessage:
    """A message ready to be shown in the product or put into an email."""

    subject: str
    text: str
    html: str
    url: str | None


def _environment(autoescape):
    if autoescape not in _environments:
        environment = Environment(
            loader=FileSystemLoader(TEMPLATE_DIRECTORY),
            undefined=StrictUndefined,
            autoescape=autoescape,
            extensions=["jinja2.ext.i18n"],
            keep_trailing_newline=False,
        )
        environment.install_gettext_callables(
            flask_babel.gettext, flask_babel.ngettext, newstyle=True
        )
        _environments[autoescape] = environment
    return _environments[autoescape]


def render(kind, context, link=None):
    """Render the message of ``kind`` with ``context``.

    Raises ``jinja2.TemplateError`` (``UndefinedError`` for a missing value,
    ``TemplateNotFound`` for an unknown kind).
    """
    template = _environment(autoescape=False).get_template(f"{kind}.txt")
    values = template.new_context(dict(context))
    subject = " ".join("".join(template.blocks["subject"](values)).split())
    body = "".join(template.blocks["body"](values)).strip()
    url = _absolute(link)
    text = (
        body if url is None else f"{body}\n\n{flask_babel.gettext('查看详情：')}{url}"
    )
    html = (
        _environment(autoescape=True)
        .get_template("_layout.html")
        .render(subject=subject, paragraphs=_paragraphs(body), url=url)
    )
    return RenderedMessage(subject, text, html, url)


def _paragraphs(body):
    return [
        paragraph.splitlines() for paragraph in body.split("\n\n") if paragraph.strip()
    ]


def _absolute(link):
    if not link:
        return None
    base = current_app.config["PUBLIC_BASE_URL"] or DEVELOPMENT_BASE_URL
    return base.rstrip("/") + link
