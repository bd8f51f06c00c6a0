"""A nomination entered in the form, reviewed, put on notice and appointed."""

import re
from datetime import date, datetime, time, timedelta

from playwright.sync_api import expect

from tests.browser.pages import button, field
from workflow.demo import synthetic_id_number

# A serial no demo record of 远安县 uses, so the ID number is new.
ID_NUMBER = synthetic_id_number("420525", date(1981, 5, 20), 901, "男")
NOTICE_PERIOD = re.compile(r"(\d{4}-\d{2}-\d{2}) — (\d{4}-\d{2}-\d{2})")


def _enter_nomination(page):
    page.get_by_role("link", name="录入推荐").click()
    field(page, "姓名").fill("孙立新")
    field(page, "性别").select_option("男")
    field(page, "身份证号").fill(ID_NUMBER)
    field(page, "民族").select_option("汉族")
    field(page, "政治面貌").select_option("群众")
    field(page, "学历").select_option("大学专科")
    field(page, "工作单位").fill("远安县农技推广中心")
    field(page, "手机号码").fill("13912345678")
    field(page, "人员来源").select_option("农技员")
    page.get_by_role("group", name="辅导员类型").get_by_label("技术支持").check()
    page.get_by_role("group", name="产业领域").get_by_label("粮食作物").check()
    field(page, "工作模式").select_option("兼职")
    field(page, "聘任方式").select_option("聘任")
    page.get_by_role("group", name="服务区域").get_by_label("远安县").check()
    field(page, "服务合作社数量").fill("4")
    button(page, "提交推荐").click()


def _sign_out(page):
    button(page, "退出").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_nomination_to_appointment(page, sign_in, workflow_clock):
    sign_in(page, "420525-admin")
    _enter_nomination(page)

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("孙立新")
    expect(heading).to_contain_text("已推荐待审核")
    _sign_out(page)

    sign_in(page, "420525-reviewer")
    page.get_by_label("姓名、名称或证件号码").fill("孙立新")
    button(page, "筛选").click()
    page.get_by_role("link", name="孙立新").click()
    button(page, "受理审核").click()
    expect(heading).to_contain_text("审核中")
    page.get_by_label("通过，开始公示").check()
    button(page, "提交审核意见").click()

    expect(heading).to_contain_text("公示中")
    expect(button(page, "公示期满，聘任")).to_be_disabled()
    expect(page.get_by_text("公示期满后方可聘任")).to_be_visible()
    period = page.locator("dt", has_text="公示期").locator("+ dd").inner_text()
    notice_ends_on = date.fromisoformat(NOTICE_PERIOD.search(period).group(2))

    workflow_clock(datetime.combine(notice_ends_on + timedelta(days=1), time(9)))
    page.reload()
    button(page, "公示期满，聘任").click()

    expect(heading).to_contain_text("已聘任")
    certificate = page.locator("dt", has_text="证书编号").locator("+ dd")
    expect(certificate).to_have_text(re.compile(r"^420525-\d{4}-\d{4}$"))
    history = page.locator("ol.history .what strong")
    expect(history).to_have_text(
        ["提交推荐", "受理审核", "审核通过并开始公示", "公示期满，聘任"]
    )
