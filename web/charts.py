"""Charts drawn on the server as inline SVG.

The charts need no script and no web font: bars carry their numbers as
text, colors come from classes in fudao.css (with hatching for the second
series, so grey print-outs still tell series apart), and every chart is
shown beside a table of the same numbers.
"""

import math

from markupsafe import Markup, escape

FONT_SIZE = 13
BAR_HEIGHT = 18
ROW_HEIGHT = 28


def text_width(text, size=FONT_SIZE):
    """Estimate the width of ``text`` in pixels at font ``size``.

    CJK characters are about one em wide and Latin characters and digits
    about 0.6 em in the sans-serif fonts the stylesheet asks for.
    """
    return sum(size if ord(char) > 0x2E7F else 0.6 * size for char in str(text))


def nice_step(maximum, ticks=5):
    """Return a round axis step (1, 2 or 5 times a power of ten) for ``maximum``."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return max(1, int(factor * power))
    return int(10 * power)


def _svg(width, height, title, body, css_class):
    return Markup(
        f'<svg class="chart {css_class}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def _text(x, y, content, css_class="label", anchor="start"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" class="{css_class}" '
        f'text-anchor="{anchor}">{escape(content)}</text>'
    )


def progress_bar(value, target, title, width=360):
    """Draw ``value`` against ``target`` as a bar with a marker at the target."""
    height = 34
    scale_max = max(value, target or 0, 1)
    track = width - 2
    filled = track * value / scale_max
    parts = [
        f'<rect x="1" y="4" width="{track:.1f}" height="{BAR_HEIGHT}" class="track"/>',
        f'<rect x="1" y="4" width="{filled:.1f}" height="{BAR_HEIGHT}" class="bar"/>',
    ]
    if target:
        marker = 1 + track * target / scale_max
        parts.append(
            f'<line x1="{marker:.1f}" y1="0" x2="{marker:.1f}" '
            f'y2="{BAR_HEIGHT + 8}" class="target"/>'
        )
    return _svg(width, height, title, "".join(parts), "progress")


def bar_chart(rows, title, targets=None, width=560):
    """Draw one horizontal bar per ``(label, value)`` row, largest scale first.

    ``targets`` optionally gives a target per row, drawn as a marker.
    """
    targets = targets or [None] * len(rows)
    label_width = max([text_width(label) for label, _value in rows] + [40]) + 12
    value_width = max([text_width(str(value)) for _label, value in rows] + [20]) + 8
    scale_max = max([value for _l, value in rows] + [t or 0 for t in targets] + [1])
    track = width - label_width - value_width
    parts = []
    for index, ((label, value), target) in enumerate(zip(rows, targets, strict=True)):
        top = index * ROW_HEIGHT + 4
        middle = top + BAR_HEIGHT / 2 + FONT_SIZE * 0.35
        length = track * value / scale_max
        parts.append(_text(label_width - 8, middle, label, anchor="end"))
        parts.append(
            f'<rect x="{label_width:.1f}" y="{top}" width="{length:.1f}" '
            f'height="{BAR_HEIGHT}" class="bar"/>'
        )
        parts.append(_text(label_width + length + 4, middle, value, "value"))
        if target:
            marker = label_width + track * target / scale_max
            parts.append(
                f'<line x1="{marker:.1f}" y1="{top - 3}" x2="{marker:.1f}" '
                f'y2="{top + BAR_HEIGHT + 3}" class="target"/>'
            )
    height = max(len(rows), 1) * ROW_HEIGHT + 6
    return _svg(width, height, title, "".join(parts), "bars")


def column_chart(categories, series, title, chart_id, width=640):
    """Draw grouped columns: one group per category, one column per series.

    ``series`` is a list of ``(name, values)``; the second series is
    hatched. ``chart_id`` keeps the hatch pattern's id unique on the page.
    """
    height, top, bottom, left = 240, 28, 36, 40
    plot_height = height - top - bottom
    step = nice_step(max([v for _n, values in series for v in values] + [1]))
    axis_max = step * math.ceil(max([v for _n, vs in series for v in vs] + [1]) / step)
    group = (width - left - 8) / max(len(categories), 1)
    column = min(18, (group - 6) / max(len(series), 1))
    parts = [_hatch(chart_id), _legend(series, left, chart_id)]
    for tick in range(0, axis_max + 1, step):
        y = top + plot_height * (1 - tick / axis_max)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 8}" y2="{y:.1f}" '
            'class="grid"/>'
        )
        parts.append(_text(left - 6, y + 4, tick, "axis", "end"))
    for index, category in enumerate(categories):
        x0 = left + index * group + (group - column * len(series)) / 2
        for number, (_name, values) in enumerate(series):
            value = values[index]
            bar = plot_height * value / axis_max
            x = x0 + number * column
            parts.append(
                _column(x, top + plot_height - bar, column, bar, number, chart_id)
            )
            if value:
                parts.append(
                    _text(
                        x + column / 2,
                        top + plot_height - bar - 3,
                        value,
                        "value",
                        "middle",
                    )
                )
        parts.append(
            _text(
                left + (index + 0.5) * group,
                height - bottom + 16,
                category,
                "axis",
                "middle",
            )
        )
    return _svg(width, height, title, "".join(parts), "columns")


def _column(x, y, width, height, number, chart_id):
    fill = f' fill="url(#{chart_id}-hatch)"' if number else ""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'class="series-{number}"{fill}/>'
    )


def _hatch(chart_id):
    return (
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" class="hatch-ground"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>'
    )


def _legend(series, left, chart_id):
    parts = []
    x = left
    for number, (name, _values) in enumerate(series):
        parts.append(_column(x, 6, 12, 12, number, chart_id))
        parts.append(_text(x + 16, 17, name))
        x += 28 + text_width(name)
    return "".join(parts)
