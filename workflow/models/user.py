"""Accounts of department staff and their roles."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from workflow.extensions import db
from workflow.roles import STAFF_ROLES, Role

# scrypt (RFC 7914) with Werkzeug's default cost (N=2**15, r=8, p=1); hashes
# of any other method are replaced at the next successful sign-in.
PASSWORD_METHOD = "scrypt"


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

    # Sign-in state kept by workflow.accounts and workflow.sign_in.
    last_sign_in_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    # A one-time password from an administrator: the user must replace it
    # at the first sign-in.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]

    # Joined to the user's row: every request and every workflow step reads
    # the department and whether the account is a counselor's, so loading
    # them with the user saves two round trips each time (see the engine
    # benchmark in docs/benchmarks.md).
    department = relationship("Department", lazy="joined")
    organisation = relationship("ApplicantOrganisation", back_populates="users")
    # The counselor record whose self-service account this is, if any.
    counselor = relationship(
        "Counselor",
        primaryjoin="User.id == Counselor.account_user_id",
        uselist=False,
        viewonly=True,
        lazy="selectin",
    )
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    password_history: Mapped[list["PasswordHistory"]] = relationship(
        cascade="all, delete-orphan",
        order_by="PasswordHistory.id.desc()",
        back_populates="user",
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
        """Return whether the user has any of ``roles``."""
        return not self.roles.isdisjoint(roles)

    @property
    def counselor_id(self):
        """Return the id of the counselor this account belongs to, or None."""
        return self.counselor.id if self.counselor is not None else None

    @property
    def is_self_service(self):
        """Return whether this is a counselor's own account and nothing more."""
        return self.counselor_id is not None and not self.has_role(*STAFF_ROLES)

    def set_roles(self, roles):
        """Replace the user's roles with ``roles``."""
        self.role_rows = [UserRole(role=role) for role in roles]

    def set_password(self, password):
        """Store a salted hash of ``password``; the password itself is not kept."""
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password):
        """Return whether ``password`` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def has_outdated_hash(self):
        """Return whether the stored hash predates the current algorithm."""
        return not self.password_hash.startswith(PASSWORD_METHOD + ":")


class PasswordHistory(db.Model):
    """A hash of a password a user had, to refuse its reuse."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime]

    user = relationship("User", back_populates="password_history")
