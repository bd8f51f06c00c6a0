"""A county's list uploaded with bad cells, corrected and imported."""

from datetime import date

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.pages import button, field
from workflow.demo import synthetic_id_number

# Serials no demo record of 兴山县 uses, so both people are new.
PEOPLE = (
    {
        "姓名": "钱玉兰",
        "性别": "女",
        "身份证号": synthetic_id_number("420526", date(1979, 8, 2), 902, "女"),
        "手机号码": "13807171234",
        "辅导员类型": "组织建设、规范运营",
    },
    {
        "姓名": "吴国栋",
        "性别": "男",
        "身份证号": synthetic_id_number("420526", date(1984, 1, 9), 903, "男"),
        "手机号码": "13807175678",
        "辅导员类型": "技术支持",
    },
)
SHARED = {
    "民族": "汉族",
    "政治面貌": "群众",
    "学历": "大学本科",
    "工作单位": "兴山县农技推广中心",
    "人员来源": "农技员",
    "产业领域": "果茶",
    "工作模式": "兼职",
    "聘任方式": "聘任",
    "服务区域": "兴山县",
}


def _download_template(page, folder):
    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入模板（.xlsx）").click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return load_workbook(path)


def _fill_rows(sheet, rows):
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(header) for header in headers])


def _set_cell(sheet, row, header, value):
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=row, column=headers.index(header) + 1, value=value)


def _upload(page, path):
    field(page, "选择文件").set_input_files(path)
    button(page, "上传并校验").click()


def _problem(page, row, header):
    problems = page.locator("table.problems tbody tr")
    return problems.filter(
        has=page.locator("td:nth-child(1)", has_text=str(row))
    ).filter(has=page.locator("td:nth-child(3)", has_text=header))


def test_import_reports_cells_then_commits(page, sign_in, tmp_path):
    sign_in(page, "420526-admin")
    page.get_by_role("link", name="批量导入").click()
    workbook = _download_template(page, tmp_path)
    sheet = workbook["辅导员名录"]
    _fill_rows(sheet, [{**SHARED, **person} for person in PEOPLE])
    # Typed without the text format, Excel keeps an ID number as a number.
    _set_cell(sheet, 2, "身份证号", int(PEOPLE[0]["身份证号"]))
    _set_cell(sheet, 3, "手机号码", "1380717")
    workbook.save(tmp_path / "兴山县名录.xlsx")

    _upload(page, tmp_path / "兴山县名录.xlsx")

    expect(page.locator("ul.tally li.bad")).to_have_text("2问题")
    expect(_problem(page, 2, "身份证号")).to_contain_text("身份证号被保存成了数字")
    expect(_problem(page, 3, "手机号码")).to_contain_text(
        "手机号码应为以1开头的11位数字。"
    )
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)

    page.get_by_role("link", name="返回").click()
    _set_cell(sheet, 2, "身份证号", PEOPLE[0]["身份证号"])
    _set_cell(sheet, 3, "手机号码", PEOPLE[1]["手机号码"])
    workbook.save(tmp_path / "兴山县名录-改.xlsx")
    _upload(page, tmp_path / "兴山县名录-改.xlsx")
    button(page, "确认导入 2 行").click()

    expect(page.get_by_role("alert")).to_have_text(
        "导入完成：新推荐 2 人，已聘任 0 人，更新 0 人。"
    )
    page.get_by_role("link", name="辅导员名录").click()
    for person in PEOPLE:
        expect(page.get_by_role("link", name=person["姓名"])).to_be_visible()
