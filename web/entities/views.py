"""Served entities: search by name or credit code, and add by hand."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from web.auth.access import roles_required
from workflow.entities import EntityValues, create_entity, search_entities
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.forms.entity import EntityForm, EntitySearchForm
from workflow.models.department import Department, DepartmentLevel
from workflow.models.entity import EntityKind
from workflow.roles import Role

blueprint = Blueprint("entities", __name__, url_prefix="/entities")


def _county_choices():
    # Counties of the user's province, so a prefecture or county user can
    # also name an entity just across a boundary.
    province_path = "/".join(current_user.department.path.split("/")[:3]) + "/"
    rows = db.session.execute(
        select(Department.code, Department.name, Department.division_name)
        .where(
            Department.path.startswith(province_path, autoescape=True),
            Department.level == DepartmentLevel.COUNTY,
        )
        .order_by(Department.code)
    )
    return [SelectChoice(code, f"{code} {division}") for code, _n, division in rows]


def _county_names(entities):
    codes = {entity.county_code for entity in entities}
    return dict(
        db.session.execute(
            select(Department.code, Department.division_name).where(
                Department.code.in_(codes)
            )
        ).all()
    )


@blueprint.route("/")
@login_required
def index():
    form = EntitySearchForm(formdata=request.args)
    form.county.choices = [
        SelectChoice("", _("全国（按名称开头）"))
    ] + _county_choices()
    form.validate()
    entities = search_entities(form.q.data, form.county.data or None)
    return render_template(
        "entities/index.html",
        form=form,
        entities=entities,
        county_names=_county_names(entities),
        for_counselor=request.args.get("for", type=int),
        searched=bool(form.q.data or form.county.data),
    )


@blueprint.route("/new", methods=["GET", "POST"])
# The same roles create_entity accepts, so nobody fills in a form that
# saving would refuse.
@roles_required(Role.REGISTRY_ADMIN, Role.COUNSELOR)
def new():
    form = EntityForm()
    form.county_code.choices = _county_choices()
    if not form.is_submitted() and current_user.department.code in {
        choice.value for choice in form.county_code.choices
    }:
        form.county_code.data = current_user.department.code
    if form.validate_on_submit():
        values = EntityValues(
            kind=EntityKind(form.kind.data),
            name=form.name.data,
            credit_code=form.credit_code.data,
            county_code=form.county_code.data,
        )
        try:
            entity = create_entity(current_user, values)
        except DomainValidationError as error:
            field = form[error.field] if error.field in form else None
            if field is not None:
                field.errors = list(field.errors) + [str(error.user_message)]
            else:
                flash(str(error.user_message), "danger")
        else:
            flash(_("已新增主体，编号 %(id)s。", id=entity.id), "success")
            return redirect(url_for("entities.index", q=entity.name), code=303)
    return render_template("entities/form.html", form=form)
