"""The per-department account that scheduled jobs act as.

Every state change goes through the engine, which checks the actor's
department and role and names the actor in the audit trail. A job has no
person behind it, so it acts as its department's system account: it holds
only the ``system`` role and cannot sign in.
"""

import secrets

from sqlalchemy import select

from workflow.extensions import db
from workflow.models.department import Department
from workflow.models.user import User
from workflow.roles import Role


def system_account(department_id):
    """Return the department's system account, creating it if needed.

    Flushes a new account but does not commit.
    """
    department = db.session.get(Department, department_id)
    username = f"system-{department.code}"
    user = db.session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        user = User(
            username=username,
            display_name="系统任务",
            department=department,
            is_enabled=False,
        )
        # The password is random and never shown, and a disabled account cannot
        # sign in with any password.
        user.set_password(secrets.token_urlsafe(32))
        user.set_roles([Role.SYSTEM])
        db.session.add(user)
        db.session.flush()
    return user
