"""Certificate PDFs read back: text, embedded font, QR code, batch pages."""

import re
from datetime import datetime

import pypdfium2
import pytest
import zxingcpp

from workflow.models import Role

APPOINTED_AT = datetime(2026, 3, 2, 9, 0)


def _pages(pdf_bytes):
    document = pypdfium2.PdfDocument(pdf_bytes)
    return [document[index] for index in range(len(document))]


def _text(page):
    return page.get_textpage().get_text_range()


def _qr_codes(page):
    image = page.render(scale=3).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


@pytest.fixture
def appointed(nominate_counselor):
    return nominate_counselor(
        "420525",
        "appointed",
        at=APPOINTED_AT,
        name="欧阳春花",
        work_areas=["组织建设", "财务会计"],
    )


def test_pdf_shows_name_number_and_term(appointed, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    response = client.get(f"/counselors/{appointed.id}/certificate.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pages = _pages(response.get_data())
    assert len(pages) == 1
    text = _text(pages[0])
    assert "欧阳春花" in text
    assert appointed.certificate_number in text
    assert "组织建设、财务会计" in text
    assert "远安县农业农村局" in text
    assert "2029年3月11日" in text


def test_pdf_is_a4_landscape(appointed, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    page = _pages(client.get(f"/counselors/{appointed.id}/certificate.pdf").get_data())[
        0
    ]

    width, height = page.get_size()
    assert width == pytest.approx(841.89, abs=0.1)
    assert height == pytest.approx(595.28, abs=0.1)


def test_pdf_embeds_its_chinese_font(appointed, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    body = client.get(f"/counselors/{appointed.id}/certificate.pdf").get_data()

    assert re.search(rb"/BaseFont /[A-Z]{6}\+NotoSerifSC", body)
    assert b"/FontFile3" in body


def test_qr_code_links_to_verification(appointed, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    body = client.get(f"/counselors/{appointed.id}/certificate.pdf").get_data()

    expected = f"http://localhost/verify/{appointed.certificate_number}"
    assert _qr_codes(_pages(body)[0]) == [expected]


def test_qr_code_uses_public_base_url(appointed, make_user, sign_in, app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://fudao.example.cn/")
    client = sign_in(make_user("420525", Role.REVIEWER))

    body = client.get(f"/counselors/{appointed.id}/certificate.pdf").get_data()

    expected = f"https://fudao.example.cn/verify/{appointed.certificate_number}"
    assert _qr_codes(_pages(body)[0]) == [expected]


def test_ancestor_may_print_sibling_may_not(appointed, make_user, sign_in):
    url = f"/counselors/{appointed.id}/certificate.pdf"

    from_city = sign_in(make_user("420500", Role.SUPERVISOR)).get(url)
    from_sibling = sign_in(make_user("420526", Role.REVIEWER)).get(url)

    assert from_city.status_code == 200
    assert from_sibling.status_code == 404


def test_no_certificate_before_appointment(nominate_counselor, make_user, sign_in):
    record = nominate_counselor("420525", "public_notice")
    client = sign_in(make_user("420525", Role.REVIEWER))

    response = client.get(f"/counselors/{record.id}/certificate.pdf")

    assert response.status_code == 404


def test_record_page_links_certificate(appointed, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    page = client.get(f"/counselors/{appointed.id}").get_data(as_text=True)

    assert f"/counselors/{appointed.id}/certificate.pdf" in page
    assert "有效" in page


@pytest.fixture
def issued_in_march(nominate_counselor):
    """Two certificates of 远安县 issued in March, one in April, one elsewhere."""
    return [
        nominate_counselor("420525", "appointed", at=datetime(2026, 3, 2, 9, 0)),
        nominate_counselor("420525", "appointed", at=datetime(2026, 3, 9, 9, 0)),
        nominate_counselor("420525", "appointed", at=datetime(2026, 4, 7, 9, 0)),
        nominate_counselor("420526", "appointed", at=datetime(2026, 3, 2, 9, 0)),
    ]


def test_batch_prints_each_certificate_of_period(issued_in_march, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REGISTRY_ADMIN))

    response = client.get(
        "/certificates/batch.pdf?issued_from=2026-03-01&issued_to=2026-03-31"
    )

    pages = _pages(response.get_data())
    assert len(pages) == 2
    for page, record in zip(pages, issued_in_march[:2], strict=True):
        assert record.certificate_number in _text(page)
        assert _qr_codes(page) == [
            f"http://localhost/verify/{record.certificate_number}"
        ]


def test_batch_page_lists_period(issued_in_march, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REGISTRY_ADMIN))

    page = client.get(
        "/certificates?issued_from=2026-03-01&issued_to=2026-03-31"
    ).get_data(as_text=True)

    assert "共 2 张证书" in page
    assert issued_in_march[2].certificate_number not in page
    assert issued_in_march[3].certificate_number not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("issued_from=2026-03-31&issued_to=2026-03-01", "结束日期不能早于开始日期。"),
        ("issued_from=&issued_to=2026-03-01", "请选择开始日期。"),
        ("issued_from=2026-01-01&issued_to=2026-01-31", "该期间本部门没有颁发证书。"),
    ],
)
def test_batch_page_explains_bad_period(
    issued_in_march, make_user, sign_in, query, message
):
    client = sign_in(make_user("420525", Role.REGISTRY_ADMIN))

    page = client.get(f"/certificates?{query}").get_data(as_text=True)

    assert message in page


def test_batch_over_limit_asks_for_shorter_period(
    issued_in_march, make_user, sign_in, app, monkeypatch
):
    monkeypatch.setitem(app.config, "CERTIFICATE_BATCH_LIMIT", 1)
    client = sign_in(make_user("420525", Role.REGISTRY_ADMIN))
    query = "issued_from=2026-03-01&issued_to=2026-03-31"

    page = client.get(f"/certificates?{query}").get_data(as_text=True)
    download = client.get(f"/certificates/batch.pdf?{query}")

    assert "超过单次打印上限 1 张" in page
    assert download.status_code == 303


def test_batch_needs_issuing_staff(app_context, make_user, sign_in):
    client = sign_in(make_user("420525", Role.SUPERVISOR))

    response = client.get("/certificates")

    assert response.status_code == 403
