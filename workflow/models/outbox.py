"""The transactional outbox: emails waiting to be sent, and each attempt."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class OutboxStatus(enum.Enum):
    """The delivery state of an email."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # The server may have accepted the message before the connection broke;
    # a person decides whether it arrived, so it is never resent by itself.
    UNCERTAIN = "uncertain"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    OutboxStatus.PENDING: _l("待发送"),
    OutboxStatus.SENDING: _l("发送中"),
    OutboxStatus.SENT: _l("已发送"),
    OutboxStatus.FAILED: _l("发送失败"),
    OutboxStatus.UNCERTAIN: _l("未确认"),
}

# Why the last attempt did not send a message, for the administrators' page.
ERROR_LABELS = {
    "unreachable": _l("无法连接邮件服务器"),
    "connection_lost": _l("发送前连接中断"),
    "lost_after_data": _l("邮件已交给服务器后连接中断，无法确认是否送达"),
    "sender_stopped": _l("发送程序在投递中途停止，无法确认是否送达"),
    "deferred": _l("邮件服务器暂时拒收"),
    "rejected": _l("邮件服务器拒收（永久错误）"),
    "smtputf8_unsupported": _l("收件地址含中文，邮件服务器不支持"),
    "invalid_address": _l("收件地址无效"),
    "template_error": _l("邮件模板缺少内容"),
    "unexpected": _l("程序错误"),
}


class OutboxMessage(db.Model):
    """One email to one recipient, written in the transaction that causes it.

    ``idempotency_key`` is unique: writing the same key twice keeps the
    first row, so a repeated sweep or a retried request adds nothing.
    """

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recipient_address: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(60))
    context: Mapped[dict] = mapped_column(JSON)
    record_type: Mapped[str | None] = mapped_column(String(30))
    record_id: Mapped[int | None]
    link: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, native_enum=False, length=12),
        default=OutboxStatus.PENDING,
    )
    attempt_count: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claim_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    error_reason: Mapped[str | None] = mapped_column(String(24))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None]

    recipient = relationship("User", foreign_keys=[recipient_user_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])
    attempts: Mapped[list["DeliveryAttempt"]] = relationship(
        order_by="DeliveryAttempt.number", back_populates="message"
    )

    def __repr__(self):
        return f"<OutboxMessage {self.id} {self.kind} {self.status.value}>"

    @property
    def error_label(self):
        """Return why the last attempt failed, in words for administrators."""
        return ERROR_LABELS.get(self.error_reason)


class DeliveryAttempt(db.Model):
    """One try at handing a message to the mail server.

    The row is committed before the SMTP conversation starts, so an
    attempt without ``finished_at`` means the sender stopped mid-way.
    ``reached_data`` is committed just before the DATA command: from then on
    the server may have accepted the message.
    """

    __tablename__ = "delivery_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_message.id"), index=True)
    number: Mapped[int]
    worker: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    reached_data: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str | None] = mapped_column(String(20))
    smtp_code: Mapped[int | None]
    detail: Mapped[str | None] = mapped_column(Text)

    message = relationship("OutboxMessage", back_populates="attempts")
