"""ORM models of the registry; import them from here."""

from workflow.models.activity import ServiceRecord, TrainingRecord
from workflow.models.annual_report import AnnualReport, ReportingWindowExtension
from workflow.models.api_token import ApiToken
from workflow.models.applicant import ApplicantOrganisation
from workflow.models.attachment import Attachment
from workflow.models.audit import AuditEvent
from workflow.models.center_price import CenterPrice, CenterPriceChange
from workflow.models.certificate import CertificateSerial
from workflow.models.claim import QueueClaim
from workflow.models.counselor import Counselor
from workflow.models.department import Department, DepartmentLevel
from workflow.models.entity import EntityKind, ServedEntity
from workflow.models.evaluation import EvaluationEntry, EvaluationRound
from workflow.models.filing import FilingSerial
from workflow.models.import_batch import ImportBatch, ImportBatchStatus
from workflow.models.notification import EmailOptOut, Notification
from workflow.models.outbox import DeliveryAttempt, OutboxMessage, OutboxStatus
from workflow.models.scheduler_lease import SchedulerLease
from workflow.models.security_event import SecurityEvent
from workflow.models.service_agreement import CenterServiceRecord, ServiceAgreement
from workflow.models.service_center import CenterService, CenterStaff, ServiceCenter
from workflow.models.strike_off import StrikeOff
from workflow.models.supervision import Rectification, SupervisionEvaluation
from workflow.models.term import CertificateStatus, CounselorTerm
from workflow.models.user import PasswordHistory, User, UserRole
from workflow.models.user_session import UserSession
from workflow.roles import Role

__all__ = [
    "AnnualReport",
    "ApiToken",
    "ApplicantOrganisation",
    "Attachment",
    "AuditEvent",
    "CenterPrice",
    "CenterPriceChange",
    "CenterService",
    "CenterServiceRecord",
    "CenterStaff",
    "CertificateSerial",
    "CertificateStatus",
    "Counselor",
    "CounselorTerm",
    "DeliveryAttempt",
    "Department",
    "DepartmentLevel",
    "EmailOptOut",
    "EntityKind",
    "EvaluationEntry",
    "EvaluationRound",
    "FilingSerial",
    "ImportBatch",
    "ImportBatchStatus",
    "Notification",
    "OutboxMessage",
    "OutboxStatus",
    "PasswordHistory",
    "QueueClaim",
    "Rectification",
    "ReportingWindowExtension",
    "Role",
    "SchedulerLease",
    "SecurityEvent",
    "ServedEntity",
    "ServiceAgreement",
    "ServiceCenter",
    "ServiceRecord",
    "StrikeOff",
    "SupervisionEvaluation",
    "TrainingRecord",
    "User",
    "UserRole",
    "UserSession",
]
