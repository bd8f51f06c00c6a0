"""ORM models of the registry; import them from here."""

from workflow.models.audit import AuditEvent
from workflow.models.certificate import CertificateSerial
from workflow.models.counselor import Counselor
from workflow.models.department import Department, DepartmentLevel
from workflow.models.import_batch import ImportBatch, ImportBatchStatus
from workflow.models.user import User, UserRole
from workflow.roles import Role

__all__ = [
    "AuditEvent",
    "CertificateSerial",
    "Counselor",
    "Department",
    "DepartmentLevel",
    "ImportBatch",
    "ImportBatchStatus",
    "Role",
    "User",
    "UserRole",
]
