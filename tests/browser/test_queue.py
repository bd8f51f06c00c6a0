"""The reviewer queue as a county reviewer works through it."""

import re

from playwright.sync_api import expect

from tests.browser.pages import button


def test_queue_filter_then_open_record(page, sign_in):
    sign_in(page, "420525-reviewer")
    rows = page.locator("table.list tbody tr")
    expect(rows.filter(has_text="远安县茶产业服务中心")).to_have_count(1)
    expect(rows.filter(has_text="刘志强")).to_have_count(1)

    page.get_by_label("类别").select_option(label="辅导员")
    page.get_by_label("状态").select_option(label="审核中")
    button(page, "筛选").click()

    expect(page).to_have_url(re.compile(r"kind=counselor&state=under_review"))
    expect(rows.filter(has_text="远安县茶产业服务中心")).to_have_count(0)
    expect(rows.filter(has_text="刘志强")).to_have_count(1)
    for badge in rows.locator(".badge").all():
        expect(badge).to_have_text("审核中")

    rows.filter(has_text="刘志强").get_by_role("link", name="处理").click()

    expect(page.get_by_role("heading", name="刘志强")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("审核中")
    expect(button(page, "提交审核意见")).to_be_visible()
    expect(page.get_by_text("聘任部门：远安县农业农村局")).to_be_visible()
