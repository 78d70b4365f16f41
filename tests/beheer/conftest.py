"""Two funders with a scheme each; the administrator of the first, and what their forms post back."""

from types import SimpleNamespace

import pytest
from django.db.models.fields.files import FieldFile
from django.forms import CheckboxInput

from tests.factories import SchemeFactory, staff
from workflow.states import Role


@pytest.fixture
def world(db):
    own, other = SchemeFactory(), SchemeFactory()
    return SimpleNamespace(
        funder=own.funder,
        scheme=own,
        other_funder=other.funder,
        other_scheme=other,
        admin=staff(own.funder, Role.ADMIN),
        other_admin=staff(other.funder, Role.ADMIN),
    )


@pytest.fixture
def beheer(client, world):
    """A client signed in as the first funder's administrator (no is_staff, no superuser)."""
    client.force_login(world.admin)
    return client


def form_data(response) -> dict:
    """What a browser posts back for the admin form on `response`, changing nothing."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            bound = form[name]
            value = bound.value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None and not isinstance(value, FieldFile):  # no file posted: the file stays
                data[bound.html_name] = value
    return data
