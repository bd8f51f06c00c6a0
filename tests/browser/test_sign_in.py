"""Signing in through the form, as a department user does."""

from playwright.sync_api import expect

from tests.browser.live_server import DEMO_PASSWORD
from tests.browser.pages import button, field


def test_wrong_password_then_sign_in(page):
    page.goto("/")
    expect(page).to_have_url("/sign-in?next=%2F")

    field(page, "用户名").fill("420525-reviewer")
    field(page, "密码").fill("not-the-password")
    button(page, "登录").click()

    expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确。")
    expect(field(page, "用户名")).to_have_value("420525-reviewer")

    field(page, "密码").fill(DEMO_PASSWORD)
    button(page, "登录").click()

    expect(page.get_by_role("heading", name="待办事项")).to_be_visible()
    expect(page.locator(".account")).to_contain_text("远安县农业农村局")
