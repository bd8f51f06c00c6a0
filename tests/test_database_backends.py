"""Text storage every database backend must get right, and MariaDB's checks."""

import pytest
from sqlalchemy import create_engine, select, text

from tests.conftest import MARIADB_DATABASE, _drop_database, _server_url
from web import create_app
from workflow.extensions import db
from workflow.mariadb import WrongCollation
from workflow.models import Counselor, Role, User
from workflow.states.counselor import CounselorState as S


def test_four_byte_name_round_trips(make_counselor):
    record = make_counselor("420525", S.NOMINATED, name="𠀾𪚥华")
    db.session.expire_all()

    assert db.session.get(Counselor, record.id).name == "𠀾𪚥华"


def test_id_number_match_is_exact(make_counselor):
    record = make_counselor("420525", S.NOMINATED, id_number="42052519800101123X")

    lower = db.session.scalar(
        select(Counselor.id).where(Counselor.id_number == "42052519800101123x")
    )
    padded = db.session.scalar(
        select(Counselor.id).where(Counselor.id_number == "42052519800101123X ")
    )
    exact = db.session.scalar(
        select(Counselor.id).where(Counselor.id_number == "42052519800101123X")
    )

    assert lower is None
    assert padded is None
    assert exact == record.id


def test_usernames_differing_in_case_are_distinct(make_user):
    user = make_user("420525", Role.REVIEWER)

    upper = User.username == user.username.upper()
    found = db.session.scalar(select(User).where(upper))

    assert found is None


@pytest.fixture
def wrong_collation_url():
    """Return the URL of a MariaDB database with a case-insensitive collation."""
    database = f"{MARIADB_DATABASE}_collation"
    admin_url, reason = _server_url("mariadb", database, recreate=True)
    if admin_url is None:
        pytest.skip(reason)
    engine = create_engine(admin_url)
    with engine.connect() as connection:
        connection.execute(
            text(
                f"ALTER DATABASE {database} "
                f"CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"
            )
        )
    engine.dispose()
    yield admin_url
    _drop_database("mariadb", database)


def test_mariadb_wrong_collation_is_rejected(wrong_collation_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=wrong_collation_url)

    with app.app_context():
        with pytest.raises(WrongCollation, match="utf8mb4_general_ci"):
            db.engine.connect()
        db.engine.dispose()
