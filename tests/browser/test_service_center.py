"""A service center registers, applies with its files and is filed."""

import re

from playwright.sync_api import expect

from tests.browser.pages import button, field
from tests.helpers import PDF_BYTES, PNG_BYTES, credit_code

# A code outside the demo organisations' series.
CREDIT_CODE = credit_code(77)
PASSWORD = "a long applicant secret"
CENTER_NAME = "远安县鸣凤农业综合服务中心"
CONFIRMATION_LINK = re.compile(r"http://127\.0\.0\.1:\d+/apply/confirm/\S+")


def _register(page):
    page.goto("/sign-in")
    page.get_by_role("link", name="注册申请账号").click()
    field(page, "单位名称").fill("远安县鸣凤农机专业合作社联合社")
    field(page, "统一社会信用代码").fill(CREDIT_CODE)
    field(page, "所在区县").select_option(label="远安县")
    field(page, "联系人").fill("刘红梅")
    field(page, "联系人手机号码").fill("13800001111")
    field(page, "电子邮箱").fill("mingfeng@example.com")
    field(page, "登录密码").fill(PASSWORD)
    field(page, "再次输入密码").fill(PASSWORD)
    button(page, "注册").click()


def _fill_application(page):
    field(page, "服务中心名称").fill(CENTER_NAME)
    field(page, "申报主体类型").select_option("农民合作社联合社")
    field(page, "设立方式").select_option("现有主体挂牌承接")
    field(page, "共建模式").select_option("购买服务")
    field(page, "所在区县").select_option(label="远安县")
    field(page, "服务场所地址").fill("远安县鸣凤镇建设路8号")
    field(page, "服务电话").fill("0717-3812345")
    field(page, "申报主体依法登记日期").fill("2019-04-01")
    page.get_by_label(re.compile("无严重违法违规行为")).check()
    page.get_by_label("工作领域").first.select_option("财务会计")
    page.get_by_label("服务内容").first.fill("代理记账与财务规范指导")
    page.get_by_label("服务项目").first.fill("代理记账")
    page.get_by_label("计价单位").first.fill("户·年")
    page.get_by_label("价格（元）").first.fill("1200")
    page.get_by_label("姓名", exact=True).first.fill("周建华")
    page.get_by_label("岗位").first.fill("主任")
    field(page, "服务工作指南").fill("受理、派单、服务、回访四步办理。")
    field(page, "服务行为规范").fill("不强制服务，不干预主体经营决策。")
    field(page, "价格公开制度").fill("价格在服务大厅和公示网站同步公开。")
    field(page, "服务记录制度").fill("每次服务登记服务记录并由主体签字确认。")
    button(page, "保存").click()


def _upload(page, kind, path):
    field(page, "材料类型").select_option(label=kind)
    field(page, "文件（PDF、JPG 或 PNG）").set_input_files(path)
    button(page, "上传").click()
    expect(page.get_by_role("link", name=path.name)).to_be_visible()


def _sign_in_before_confirming(page):
    field(page, "用户名").fill(CREDIT_CODE)
    field(page, "密码").fill(PASSWORD)
    button(page, "登录").click()


def test_center_registered_and_filed(page, sign_in, mailbox, tmp_path):
    _register(page)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("注册成功，确认邮件已发送至 mingfeng@example.com")
    _sign_in_before_confirming(page)
    expect(alert).to_contain_text("请先打开确认邮件中的链接完成邮箱确认")

    message = mailbox.messages[-1]
    assert message["To"] == "mingfeng@example.com"
    page.goto(CONFIRMATION_LINK.search(message.get_content()).group(0))
    expect(alert).to_have_text(f"邮箱已确认。请用统一社会信用代码 {CREDIT_CODE} 登录。")
    sign_in(page, CREDIT_CODE, PASSWORD)
    page.get_by_role("link", name="我的备案申请").click()
    page.get_by_role("link", name="填写新的备案申请").click()
    _fill_application(page)

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("草稿")
    (tmp_path / "营业执照.pdf").write_bytes(PDF_BYTES)
    (tmp_path / "场所照片.png").write_bytes(PNG_BYTES)
    _upload(page, "营业执照或法人登记证书", tmp_path / "营业执照.pdf")
    _upload(page, "服务场所证明", tmp_path / "场所照片.png")
    button(page, "提交备案申请").click()
    expect(heading).to_contain_text("已提交待受理")
    button(page, "退出").click()

    sign_in(page, "420525-reviewer")
    page.get_by_role("link", name=CENTER_NAME).click()
    expect(page.get_by_role("link", name="营业执照.pdf")).to_be_visible()
    expect(page.get_by_role("link", name="场所照片.png")).to_be_visible()
    button(page, "受理审核").click()
    expect(heading).to_contain_text("审核中")
    page.get_by_label("通过，予以备案").check()
    button(page, "提交审核意见").click()

    expect(heading).to_contain_text("已备案")
    filing_number = page.locator("dt", has_text="备案编号").locator("+ dd")
    expect(filing_number).to_have_text(re.compile(r"^FW-420525-\d{4}-\d{3}$"))
    page.goto("/public/centers")
    expect(page.get_by_role("link", name=CENTER_NAME)).to_be_visible()
