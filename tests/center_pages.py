"""Page helpers of the service-center tests: forms posted as a browser would."""

import io
import re

from tests.helpers import PDF_BYTES, PNG_BYTES, csrf_token_from

_VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


def post_form(client, url, fields, page_url=None):
    """Post ``fields`` to ``url`` with the CSRF token of ``page_url`` (or url)."""
    page = client.get(page_url or url).get_data(as_text=True)
    return client.post(url, data={**fields, "csrf_token": csrf_token_from(page)})


def post_on_center(client, center_id, action, fields):
    """Post ``fields`` from the center page to ``/centers/<id>/<action>``."""
    page = client.get(f"/centers/{center_id}").get_data(as_text=True)
    version = _VERSION.search(page).group(1)
    return client.post(
        f"/centers/{center_id}/{action}",
        data={**fields, "csrf_token": csrf_token_from(page), "version": version},
    )


def upload(client, center_id, kind, name, content):
    """Upload one file from the center page."""
    page = client.get(f"/centers/{center_id}").get_data(as_text=True)
    return client.post(
        f"/centers/{center_id}/attachments",
        data={
            "kind": kind,
            "file": (io.BytesIO(content), name),
            "csrf_token": csrf_token_from(page),
        },
        content_type="multipart/form-data",
    )


def upload_required_files(client, center_id):
    """Upload the registration certificate and the premises proof."""
    upload(client, center_id, "registration_certificate", "营业执照.pdf", PDF_BYTES)
    upload(client, center_id, "premises_proof", "场所照片.png", PNG_BYTES)


def flashes(response_or_page):
    """Return the flash messages rendered on a page."""
    html = (
        response_or_page
        if isinstance(response_or_page, str)
        else response_or_page.get_data(as_text=True)
    )
    return re.findall(r'role="alert">([^<]*)<', html)
