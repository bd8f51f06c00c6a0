"""ORM models of the registry; import them from here."""

from workflow.models.activity import ServiceRecord, TrainingRecord
from workflow.models.audit import AuditEvent
from workflow.models.certificate import CertificateSerial
from workflow.models.counselor import Counselor
from workflow.models.department import Department, DepartmentLevel
from workflow.models.entity import EntityKind, ServedEntity
from workflow.models.evaluation import EvaluationEntry, EvaluationRound
from workflow.models.strike_off import StrikeOff
from workflow.models.term import CertificateStatus, CounselorTerm
from workflow.models.user import User, UserRole
from workflow.roles import Role

__all__ = [
    "AuditEvent",
    "CertificateSerial",
    "CertificateStatus",
    "Counselor",
    "CounselorTerm",
    "Department",
    "DepartmentLevel",
    "EntityKind",
    "EvaluationEntry",
    "EvaluationRound",
    "Role",
    "ServedEntity",
    "ServiceRecord",
    "StrikeOff",
    "TrainingRecord",
    "User",
    "UserRole",
]
