"""ORM models of the registry; import them from here."""

from workflow.models.annual_report import AnnualReport, ReportingWindowExtension
from workflow.models.audit import AuditEvent
from workflow.models.certificate import CertificateSerial
from workflow.models.counselor import Counselor
from workflow.models.department import Department, DepartmentLevel
from workflow.models.notification import EmailOptOut, Notification
from workflow.models.outbox import DeliveryAttempt, OutboxMessage, OutboxStatus
from workflow.models.scheduler_lease import SchedulerLease
from workflow.models.user import User, UserRole
from workflow.roles import Role

__all__ = [
    "AnnualReport",
    "AuditEvent",
    "CertificateSerial",
    "Counselor",
    "DeliveryAttempt",
    "Department",
    "DepartmentLevel",
    "EmailOptOut",
    "Notification",
    "OutboxMessage",
    "OutboxStatus",
    "ReportingWindowExtension",
    "Role",
    "SchedulerLease",
    "User",
    "UserRole",
]
