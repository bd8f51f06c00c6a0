"""Controlled vocabularies of service-center applications and agreements.

As in the counselor registry, the stored value is the Chinese term itself.
"""

# Who may apply: unions of cooperatives, federations, agricultural service
# enterprises and social organisations.
ORGANISATION_TYPES = (
    "农民合作社联合社",
    "农民合作社联合会",
    "农业社会化服务企业",
    "社会组织",
)

# A center is either set up new or an existing entity takes on the role.
ESTABLISHMENTS = ("新设立", "现有主体挂牌承接")

# How the department and the center build the service together.
CO_BUILDING_MODES = ("购买服务", "备案管理", "挂牌委托")

# Served entities an agreement can be signed with. Cooperatives (and their
# unions) carry a unified social credit code; family farms may not.
ENTITY_TYPES = ("农民合作社", "家庭农场", "其他")
ENTITY_TYPES_WITH_CREDIT_CODE = ("农民合作社",)

SATISFACTION_LEVELS = (1, 2, 3, 4, 5)
