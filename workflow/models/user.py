"""Accounts of department staff and their roles."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from workflow.extensions import db
from workflow.roles import Role


class UserRole(db.Model):
    """One role held by one user in the user's department."""

    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20), primary_key=True
    )


class User(UserMixin, db.Model):
    """A person who signs in; belongs to exactly one department.

    Accounts of service-center applicants also name their ``organisation``;
    they see only that organisation's records, never the department's.
    """

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("applicant_organisation.id")
    )
    is_enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    department = relationship("Department")
    organisation = relationship("ApplicantOrganisation", back_populates="users")
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self):
        return f"<User {self.username}>"

    @property
    def is_active(self):
        return self.is_enabled

    @property
    def is_applicant(self):
        """Return whether this is the account of an applicant organisation."""
        return self.organisation_id is not None

    @property
    def roles(self):
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *roles):
        """Return whether the user holds any of ``roles``."""
        return not self.roles.isdisjoint(roles)

    def set_roles(self, roles):
        """Replace the user's roles with ``roles``."""
        self.role_rows = [UserRole(role=role) for role in roles]

    def set_password(self, password):
        """Store a salted hash of ``password``; the password itself is not kept."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        """Return whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)
