"""Tokens that provincial systems and scripts present to the JSON API."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class ApiToken(db.Model):
    """A bearer token bound to a department, acting through its own account.

    Only the SHA-256 digest of the secret is stored; ``prefix`` finds the
    row without comparing digests of every token. The token acts as
    ``user``, an account of its own that cannot sign in and has the roles
    the administrator granted, so the engine's role and jurisdiction checks
    and every audit event name the token.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(60))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    department = relationship("Department")
    user = relationship("User", foreign_keys=[user_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    def __repr__(self):
        return f"<ApiToken {self.id} {self.prefix}>"

    def is_usable_at(self, moment):
        """Return whether the token is neither revoked nor expired at ``moment``."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or moment < self.expires_at
