"""Server-side SVG charts: well-formed, and bars sized by their values."""

import xml.etree.ElementTree as ElementTree

import pytest

from web import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup):
    return ElementTree.fromstring(str(markup))


def _rects(svg, css_class):
    return [r for r in svg.iter(f"{SVG}rect") if r.get("class") == css_class]


@pytest.mark.parametrize(
    ("maximum", "step"),
    [(0, 1), (4, 1), (10, 2), (23, 5), (180, 50), (30_000, 10_000)],
)
def test_nice_step(maximum, step):
    assert charts.nice_step(maximum) == step


def test_text_width_counts_cjk_as_one_em():
    assert charts.text_width("远安县", 10) == 30
    assert charts.text_width("12", 10) == 12


def test_bar_chart_scales_bars_to_largest_value():
    svg = _parse(charts.bar_chart([("远安县", 4), ("兴山县", 2), ("秭归县", 0)], "t"))

    widths = [float(rect.get("width")) for rect in _rects(svg, "bar")]
    assert len(widths) == 3
    assert widths[0] == pytest.approx(2 * widths[1])
    assert widths[2] == 0


def test_bar_chart_prints_each_value():
    svg = _parse(charts.bar_chart([("专职", 3), ("兼职", 12)], "工作模式"))

    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values == ["3", "12"]
    assert svg.find(f"{SVG}title").text == "工作模式"


def test_bar_chart_draws_target_markers():
    svg = _parse(charts.bar_chart([("湖北省", 500)], "t", targets=[1000]))

    marker = next(svg.iter(f"{SVG}line"))
    bar = _rects(svg, "bar")[0]
    bar_end = float(bar.get("x")) + float(bar.get("width"))
    assert float(marker.get("x1")) - float(bar.get("x")) == pytest.approx(
        2 * (bar_end - float(bar.get("x")))
    )


def test_progress_bar_fills_share_of_target():
    svg = _parse(charts.progress_bar(250, 1000, "在聘辅导员", width=402))

    track, bar = _rects(svg, "track")[0], _rects(svg, "bar")[0]
    assert float(bar.get("width")) == pytest.approx(float(track.get("width")) / 4)


def test_empty_chart_is_still_valid_svg():
    svg = _parse(charts.bar_chart([], "空"))

    assert _rects(svg, "bar") == []


def test_column_chart_draws_one_column_per_value():
    svg = _parse(
        charts.column_chart(
            ["03-02", "03-09"],
            [("新提交", [3, 1]), ("办结", [0, 2])],
            "每周",
            chart_id="weeks",
        )
    )

    first = _rects(svg, "series-0")
    second = _rects(svg, "series-1")
    # One legend swatch per series besides the columns.
    assert len(first) == 3
    assert len(second) == 3
    # Heights are written to a tenth of a pixel.
    assert float(first[1].get("height")) == pytest.approx(
        3 * float(first[2].get("height")), abs=0.5
    )
    assert second[1].get("fill") == "url(#weeks-hatch)"


def test_chart_escapes_labels():
    markup = str(charts.bar_chart([("<b>&", 1)], "a<b"))

    assert "<b>&" not in markup
    assert "&lt;b&gt;&amp;" in markup
