"""Appointment certificates as PDF: A4 landscape, one certificate per page.

The Chinese font is Noto Serif SC from the ``pylopdf-fonts-zh-cn`` package,
a pinned dependency, so no system font is needed. fpdf2 embeds the subset of
glyphs each document uses. The QR code is drawn
as vector squares and encodes the public verification address.
"""

import importlib.resources
import logging
from dataclasses import dataclass
from datetime import date

import segno
from flask_babel import gettext as _
from fpdf import FPDF

logger = logging.getLogger(__name__)

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSerifSC-Regular.otf"
FONT_FAMILY = "NotoSerifSC"

PAGE_WIDTH, PAGE_HEIGHT = 297, 210
RED = (158, 27, 31)
INK = (31, 41, 51)
MUTED = (97, 110, 124)
QR_MODULE = 0.8


@dataclass(frozen=True)
class CertificateView:
    """The fields printed on one certificate."""

    number: str
    name: str
    tier: str
    types: str
    department_name: str
    term_starts_on: date
    term_ends_on: date
    issued_on: date
    verification_url: str

    @classmethod
    def of(cls, record, verification_url):
        """Return the printed fields of the certificate ``record`` holds."""
        return cls(
            number=record.certificate_number,
            name=record.name,
            tier=str(record.tier_label),
            types="、".join(record.work_areas),
            department_name=record.department.name,
            term_starts_on=record.term_starts_on,
            term_ends_on=record.term_ends_on,
            issued_on=record.appointed_on,
            verification_url=verification_url,
        )


def font_path():
    """Return the path of the embedded Chinese font file.

    Raises ``RuntimeError`` naming the package when it is not installed.
    """
    try:
        path = importlib.resources.files(FONT_PACKAGE) / FONT_FILE
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise RuntimeError(
            f"{FONT_FILE} from the package {FONT_PACKAGE} is missing; run "
            "`make install` to install Fudao's pinned dependencies."
        )
    return str(path)


def chinese_date(day):
    """Format ``day`` as 2026年3月10日."""
    return _("%(y)s年%(m)s月%(d)s日", y=day.year, m=day.month, d=day.day)


def certificates_pdf(certificates):
    """Return a PDF with one page per certificate in ``certificates``.

    Each item is a ``CertificateView`` with the fields printed and the
    verification address encoded in the QR code.
    """
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(_("新型农业经营主体辅导员聘任证书"))
    pdf.set_creator("Fudao")
    pdf.add_font(FONT_FAMILY, "", font_path())
    for certificate in certificates:
        pdf.add_page()
        _draw_frame(pdf)
        _draw_text(pdf, certificate)
        _draw_qr(pdf, certificate.verification_url)
    logger.info("certificate PDF rendered with %s pages", len(certificates))
    return bytes(pdf.output())


def _draw_frame(pdf):
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.6)
    pdf.rect(10, 10, PAGE_WIDTH - 20, PAGE_HEIGHT - 20)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, PAGE_WIDTH - 28, PAGE_HEIGHT - 28)


def _centered(pdf, y, text, size, color=INK):
    pdf.set_font(FONT_FAMILY, size=size)
    pdf.set_text_color(*color)
    pdf.set_xy(20, y)
    pdf.cell(PAGE_WIDTH - 40, size * 0.5, text, align="C")


def _draw_text(pdf, certificate):
    pdf.set_char_spacing(2)
    _centered(pdf, 30, _("新型农业经营主体辅导员聘任证书"), 30, RED)
    pdf.set_char_spacing(0)
    _centered(pdf, 47, _("证书编号：%(number)s", number=certificate.number), 12, MUTED)

    pdf.set_text_color(*INK)
    pdf.set_font(FONT_FAMILY, size=19)
    pdf.set_xy(40, 66)
    pdf.write(10, _("兹聘任 "))
    pdf.set_font(FONT_FAMILY, "U", size=22)
    pdf.write(10, f" {certificate.name} ")
    pdf.set_font(FONT_FAMILY, size=19)
    pdf.write(
        10,
        _(" 为%(tier)s新型农业经营主体辅导员。", tier=certificate.tier),
    )
    facts = (
        (_("辅导员类型"), certificate.types),
        (
            _("聘期"),
            _(
                "%(start)s 至 %(end)s",
                start=chinese_date(certificate.term_starts_on),
                end=chinese_date(certificate.term_ends_on),
            ),
        ),
    )
    pdf.set_font(FONT_FAMILY, size=14)
    for index, (label, value) in enumerate(facts):
        pdf.set_xy(48, 88 + index * 10)
        pdf.set_text_color(*MUTED)
        pdf.cell(30, 8, label)
        pdf.set_text_color(*INK)
        pdf.multi_cell(PAGE_WIDTH - 48 - 30 - 40, 8, value)
    _draw_issuer(pdf, certificate)


def _draw_issuer(pdf, certificate):
    # The seal is stamped over the issuer's name and date, as on paper.
    right = PAGE_WIDTH - 40
    seal_x, seal_y = right - 24, 162
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=1.2, gap=1.2)
    pdf.circle(x=seal_x, y=seal_y, radius=21)
    pdf.set_dash_pattern()
    pdf.set_font(FONT_FAMILY, size=9)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(seal_x - 15, seal_y - 14)
    pdf.cell(30, 4, _("（盖章）"), align="C")

    pdf.set_font(FONT_FAMILY, size=15)
    pdf.set_text_color(*INK)
    pdf.set_xy(right - 130, 158)
    pdf.cell(130, 8, certificate.department_name, align="R")
    pdf.set_xy(right - 130, 168)
    pdf.cell(130, 8, chinese_date(certificate.issued_on), align="R")


def _draw_qr(pdf, url):
    qr = segno.make(url, error="m")
    left, top = 32, 132
    pdf.set_fill_color(0, 0, 0)
    for row, modules in enumerate(qr.matrix):
        column = 0
        # One rectangle per run of dark modules keeps the page small.
        while column < len(modules):
            if not modules[column]:
                column += 1
                continue
            start = column
            while column < len(modules) and modules[column]:
                column += 1
            pdf.rect(
                left + start * QR_MODULE,
                top + row * QR_MODULE,
                (column - start) * QR_MODULE,
                QR_MODULE,
                style="F",
            )
    size = len(qr.matrix) * QR_MODULE
    pdf.set_font(FONT_FAMILY, size=9)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(left - 6, top + size + 2)
    pdf.cell(size + 12, 4, _("扫码核验证书"), align="C")
