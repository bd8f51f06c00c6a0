"""Yearly served-entity figures: a registry change that belongs to the report."""

from datetime import datetime

import pytest
from sqlalchemy import select

from tests.helpers import appointed_counselor
from workflow.annual_figures import update_served_figures
from workflow.annual_reports import report_for
from workflow.errors import NotPermitted, OutsideReportingWindow
from workflow.extensions import db
from workflow.models import Counselor, Role
from workflow.states.annual_report import AnnualReportState

FIGURES = {"served_cooperatives": 7, "served_family_farms": 11, "served_others": 2}


@pytest.fixture
def staff(make_user, frozen_clock):
    """Return a county's registry administrator and reviewer."""
    frozen_clock(datetime(2026, 1, 12, 9, 0))
    return (
        make_user("420525", Role.REGISTRY_ADMIN),
        make_user("420525", Role.REVIEWER),
    )


def test_figures_saved_inside_window_start_report(staff):
    admin, reviewer = staff
    counselor = appointed_counselor(admin, reviewer)

    update_served_figures(admin, counselor.id, FIGURES, counselor.version)

    db.session.expire_all()
    saved = db.session.get(Counselor, counselor.id)
    assert saved.served_family_farms == 11
    assert report_for(admin.department, 2025).state is AnnualReportState.IN_PROGRESS


def test_figures_outside_window_rejected_with_dates(staff, frozen_clock):
    admin, reviewer = staff
    counselor = appointed_counselor(admin, reviewer)
    before = counselor.served_cooperatives
    frozen_clock(datetime(2026, 9, 1, 9, 0))

    with pytest.raises(OutsideReportingWindow) as refused:
        update_served_figures(admin, counselor.id, FIGURES, counselor.version)

    db.session.expire_all()
    assert "2026-01-01 至 2026-06-30" in str(refused.value.user_message)
    assert db.session.get(Counselor, counselor.id).served_cooperatives == before
    assert report_for(admin.department, 2025).state is AnnualReportState.NOT_STARTED


def test_figures_need_registry_admin(staff):
    admin, reviewer = staff
    counselor = appointed_counselor(admin, reviewer)

    with pytest.raises(NotPermitted):
        update_served_figures(reviewer, counselor.id, FIGURES, counselor.version)

    versions = db.session.scalars(select(Counselor.version)).all()
    assert versions == [counselor.version]
