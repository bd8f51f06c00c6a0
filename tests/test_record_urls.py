"""URL prefixes for list rows, and the filter bar's select widget."""

import pytest
from markupsafe import Markup
from wtforms import Form, SelectField
from wtforms.widgets import Select

from web.record_urls import id_url_prefix
from workflow.forms.filters import FilterSelect


@pytest.mark.parametrize(
    ("endpoint", "argument", "prefix"),
    [
        ("counselors.show", "record_id", "/counselors/"),
        ("centers.show", "center_id", "/centers/"),
    ],
)
def test_id_url_prefix_builds_row_links(app, endpoint, argument, prefix):
    with app.test_request_context("/"):
        built = id_url_prefix(endpoint, argument)

        assert built == prefix
        assert f"{built}42" == app.url_for(endpoint, **{argument: 42})


def test_id_url_prefix_rejects_id_before_suffix(app):
    with app.test_request_context("/"):
        with pytest.raises(ValueError, match="does not end with its 'record_id'"):
            id_url_prefix("counselors.edit", "record_id")


class _TwoSelects(Form):
    # The same choices rendered by WTForms' widget and by the filter bar's.
    plain = SelectField(widget=Select())
    fast = SelectField(widget=FilterSelect())


@pytest.mark.parametrize("selected", ["", "b&c", "missing"])
def test_filter_select_renders_as_wtforms(selected):
    choices = [("", "全部"), ("a", "<甲>"), ("b&c", 'say "b"'), ("d", "")]
    form = _TwoSelects(data={"plain": selected, "fast": selected})
    form.plain.choices = form.fast.choices = choices

    plain = form.plain(id="x")
    fast = form.fast(id="x")

    assert isinstance(fast, Markup)
    assert str(fast).replace('name="fast"', 'name="plain"') == str(plain)
