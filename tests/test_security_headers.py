"""Security headers on every page, pages that pass the CSP, and escaping."""

import re

import pytest

from tests.helpers import nominate
from workflow import engine
from workflow.extensions import db
from workflow.models import Counselor, Role

MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'
# What the CSP forbids in a page: inline scripts, inline styles, event
# handler attributes and javascript: links.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(href|src|action)=\"\s*javascript:", re.IGNORECASE)


@pytest.fixture
def pages(make_user, sign_in, frozen_clock):
    """Return a signed-in administrator's client and the GET pages to check."""
    admin = make_user("420525", Role.REGISTRY_ADMIN, Role.REVIEWER, Role.SUPERVISOR)
    other = make_user("420525", Role.REGISTRY_ADMIN)
    record = nominate(other)
    client = sign_in(admin)
    urls = [
        "/",
        "/registry",
        "/registry/export",
        f"/counselors/{record.id}",
        "/counselors/new",
        "/accounts/",
        "/accounts/new",
        f"/accounts/{other.id}/edit",
        "/audit/",
        "/queue/claims",
        "/account/password",
        "/no-such-page",
    ]
    return client, urls


def test_every_page_carries_security_headers(pages):
    client, urls = pages

    for url in urls + ["/sign-in"]:
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"], url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Cache-Control"] == "no-store", url


def test_every_page_passes_the_csp(pages):
    client, urls = pages

    for url in urls:
        html = client.get(url).get_data(as_text=True)
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_STYLE.search(html), url
        assert not HANDLER.search(html), url
        assert not JAVASCRIPT_URL.search(html), url


def test_signed_out_page_passes_the_csp(app):
    html = app.test_client().get("/sign-in").get_data(as_text=True)

    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)


def test_markup_in_names_is_escaped(make_user, sign_in, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    reviewer = make_user("420525", Role.REVIEWER)
    reviewer.display_name = MARKUP
    record = nominate(admin)
    # Names could arrive this way from an older system or a direct import.
    record.name = MARKUP[:30]
    db.session.commit()
    engine.fire(Counselor, record.id, "start_review", reviewer)
    engine.fire(Counselor, record.id, "return_for_revision", reviewer, comment=MARKUP)
    client = sign_in(admin)

    for url in ["/", "/registry", f"/counselors/{record.id}", "/accounts/", "/audit/"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    record_page = client.get(f"/counselors/{record.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in record_page
