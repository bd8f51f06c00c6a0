"""Screenshot the demo's dashboards and verification page for docs/images.

Builds the demo on a new SQLite database in a temporary folder, renders
each page through the app as a signed-in demo user, and photographs the
HTML with Debian's headless chromium (``apt-get install chromium
fonts-noto-cjk``). Run it from the repository root:

    .venv/bin/python scripts/dashboard_screenshots.py [--output docs/images]
"""

import argparse
import re
import subprocess
import tempfile
from pathlib import Path

from flask_migrate import upgrade
from PIL import Image, ImageChops

from web import create_app
from workflow.demo import seed_demo

PASSWORD = "screenshot-demo-2026"
WIDTH = 1100
# Tall enough for the longest page; the blank rows below it are cropped.
HEIGHT = 9000
# (image name, demo account, page path). Without an account the page is
# opened without signing in.
PAGES = (
    ("dashboard-province.png", "420000-leader", "/dashboard/420000"),
    ("dashboard-prefecture.png", "420500-leader", "/dashboard/420500"),
    ("verification.png", None, "/verify/{certificate}"),
)
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("docs/images"))
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = _demo_app(Path(folder))
        certificate = _demo_certificate(app)
        for image, username, path in PAGES:
            html = _page(app, username, path.format(certificate=certificate))
            page_file = Path(folder) / f"{image}.html"
            page_file.write_text(_with_local_assets(app, html), encoding="utf-8")
            _photograph(page_file, arguments.output / image)
            print(f"wrote {arguments.output / image}")


def _demo_app(folder):
    app = create_app(
        "development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/demo.db"
    )
    with app.app_context():
        upgrade()
        seed_demo(password=PASSWORD)
    return app


def _demo_certificate(app):
    from sqlalchemy import select

    from workflow.extensions import db
    from workflow.models import Counselor

    with app.app_context():
        return db.session.scalar(
            select(Counselor.certificate_number)
            .where(Counselor.certificate_number.is_not(None))
            .order_by(Counselor.id)
        )


def _page(app, username, path):
    client = app.test_client()
    if username is not None:
        form = client.get("/sign-in").get_data(as_text=True)
        client.post(
            "/sign-in",
            data={
                "username": username,
                "password": PASSWORD,
                "csrf_token": CSRF_INPUT.search(form).group(1),
            },
        )
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} as {username} returned {response.status_code}")
    return response.get_data(as_text=True)


def _with_local_assets(app, html):
    # Chromium opens the page as a file, so the stylesheet is linked as a
    # file too. Scripts are dropped because the session timer needs a server.
    static = Path(app.static_folder).resolve().as_uri()
    html = html.replace('href="/static/', f'href="{static}/')
    return re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)


def _photograph(page_file, image):
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--allow-file-access-from-files",
            f"--window-size={WIDTH},{HEIGHT}",
            f"--screenshot={image.resolve()}",
            page_file.as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    _crop_blank_bottom(image)


def _crop_blank_bottom(image):
    picture = Image.open(image).convert("RGB")
    background = Image.new("RGB", picture.size, picture.getpixel((0, HEIGHT - 1)))
    box = ImageChops.difference(picture, background).getbbox()
    if box is not None:
        picture.crop((0, 0, WIDTH, min(box[3] + 24, picture.height))).save(image)


if __name__ == "__main__":
    main()
