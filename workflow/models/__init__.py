"""ORM models of the registry; import them from here."""

from workflow.models.applicant import ApplicantOrganisation
from workflow.models.attachment import Attachment
from workflow.models.audit import AuditEvent
from workflow.models.center_price import CenterPrice, CenterPriceChange
from workflow.models.certificate import CertificateSerial
from workflow.models.counselor import Counselor
from workflow.models.department import Department, DepartmentLevel
from workflow.models.filing import FilingSerial
from workflow.models.service_agreement import CenterServiceRecord, ServiceAgreement
from workflow.models.service_center import CenterService, CenterStaff, ServiceCenter
from workflow.models.supervision import Rectification, SupervisionEvaluation
from workflow.models.user import User, UserRole
from workflow.roles import Role

__all__ = [
    "ApplicantOrganisation",
    "Attachment",
    "AuditEvent",
    "CenterPrice",
    "CenterPriceChange",
    "CenterService",
    "CenterServiceRecord",
    "CenterStaff",
    "CertificateSerial",
    "Counselor",
    "Department",
    "DepartmentLevel",
    "FilingSerial",
    "Rectification",
    "Role",
    "ServiceAgreement",
    "ServiceCenter",
    "SupervisionEvaluation",
    "User",
    "UserRole",
]
