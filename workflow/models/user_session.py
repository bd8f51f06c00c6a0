"""Server-side records of signed-in sessions."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class UserSession(db.Model):
    """One sign-in of one user in one browser, until it ends.

    The browser holds a random token; only its SHA-256 digest is stored, so
    a copy of the table cannot be replayed. Keeping sessions on the server
    lets the idle timeout, a disabled account or a password change end them
    at once, which a signed cookie alone cannot do.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    # A remembered session survives browser restarts and the idle timeout
    # until ``expires_at``; any other session ends after the idle timeout.
    remember: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user = relationship("User")
