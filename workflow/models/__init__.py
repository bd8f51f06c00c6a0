"""ORM models of the registry; import them from here."""

from workflow.models.audit import AuditEvent
from workflow.models.certificate import CertificateSerial
from workflow.models.claim import QueueClaim
from workflow.models.counselor import Counselor
from workflow.models.department import Department, DepartmentLevel
from workflow.models.security_event import SecurityEvent
from workflow.models.user import PasswordHistory, User, UserRole
from workflow.models.user_session import UserSession
from workflow.roles import Role

__all__ = [
    "AuditEvent",
    "CertificateSerial",
    "Counselor",
    "Department",
    "DepartmentLevel",
    "PasswordHistory",
    "QueueClaim",
    "Role",
    "SecurityEvent",
    "User",
    "UserRole",
    "UserSession",
]
