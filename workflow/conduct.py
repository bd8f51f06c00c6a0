"""Conduct breaches: reason codes, evidence files and the strike-off step.

A confirmed breach of the counselor conduct rules ends the appointment at
once: the counselor is struck off (除名), the certificate is revoked and the
record is kept. The department must name the breach by reason code, explain
it and attach the evidence (a PDF, JPEG or PNG file).
"""

import hashlib
import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from workflow import engine
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.models.counselor import Counselor
from workflow.models.strike_off import StrikeOff
from workflow.models.term import CertificateStatus
from workflow.terms import end_current_term

logger = logging.getLogger(__name__)

# The conduct rules forbid using counseling to seek improper benefit. The
# other codes cover forcing services on an entity, interfering in its own
# decisions and leaking its information.
REASON_CODES = {
    "improper_benefit": _l("利用辅导工作为本人或他人谋取不正当利益"),
    "forced_service": _l("强制服务主体接受服务"),
    "interference": _l("干预服务主体自主经营决策"),
    "information_leak": _l("泄露服务主体商业秘密或信息"),
    "other": _l("其他违反辅导员工作规范的行为"),
}

# Leading bytes of the file types accepted as evidence.
EVIDENCE_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


@dataclass(frozen=True)
class Evidence:
    """An uploaded evidence file."""

    filename: str
    content: bytes

    @property
    def content_type(self):
        """Return the MIME type read from the file's leading bytes, or None."""
        for signature, content_type in EVIDENCE_SIGNATURES.items():
            if self.content.startswith(signature):
                return content_type
        return None


def strike_off_counselor(actor, record_id, reason_code, comment, evidence, version):
    """Strike a counselor off for a conduct breach and commit; return the record.

    Raises ``DomainValidationError`` for a missing reason code or a bad
    evidence file before anything is written; the engine's own refusals
    pass through.
    """
    _check_evidence(evidence)
    return engine.fire(
        Counselor,
        record_id,
        "strike_off",
        actor,
        expected_version=version,
        comment=comment,
        params={"reason_code": reason_code, "evidence": evidence},
    )


def _check_evidence(evidence):
    if evidence is None or not evidence.content:
        raise DomainValidationError(
            "evidence", "no evidence file", _l("请上传证据材料。")
        )
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    if len(evidence.content) > limit:
        raise DomainValidationError(
            "evidence",
            f"evidence is {len(evidence.content)} bytes, over {limit}",
            _l("证据材料不能超过 %(mb)s MB。", mb=limit // (1024 * 1024)),
        )
    if evidence.content_type is None:
        raise DomainValidationError(
            "evidence",
            f"evidence {evidence.filename!r} is not PDF, JPEG or PNG",
            _l("证据材料应为PDF、JPG或PNG文件。"),
        )


def check_breach_details(details):
    """Return why the strike-off lacks a reason code or evidence, or None."""
    if details.get("reason_code") not in REASON_CODES:
        return _l("请选择除名原因。")
    evidence = details.get("evidence")
    if evidence is None or evidence.content_type is None:
        return _l("请上传证据材料（PDF、JPG或PNG）。")
    return None


def record_strike_off(record, context):
    """Revoke the certificate and keep the strike-off with its evidence."""
    end_current_term(record, context.today, status=CertificateStatus.REVOKED)
    evidence = context.params["evidence"]
    db.session.add(
        StrikeOff(
            counselor_id=record.id,
            department_id=record.department_id,
            id_number=record.id_number,
            reason_code=context.params["reason_code"],
            comment=context.comment,
            struck_off_on=context.today,
            evidence_filename=evidence.filename[:200],
            evidence_content_type=evidence.content_type,
            evidence_sha256=hashlib.sha256(evidence.content).hexdigest(),
            evidence_size=len(evidence.content),
            evidence=evidence.content,
            recorded_by_id=context.actor.id,
            created_at=context.now,
        )
    )
    logger.info(
        "counselor %s struck off (%s)", record.id, context.params["reason_code"]
    )
