"""Every date picker and money field of the project's forms works the same way.

A date picker gets its value as 2026-12-14 (the only form `<input type=date>` accepts; "14-12-2026"
left it empty), and every amount is a `grants.fields.EuroField` (Django's DecimalField refused the
Dutch "14.400" and spoke of "0.00").
"""

import ast
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from finance.forms import BatchBuildForm
from grants.apply.forms import PlanForm
from grants.models import Application
from tests.factories import FunderFactory, SchemeFactory
from workflow.deadline_forms import ExtensionRequestForm, RegisterObjectionForm
from workflow.workbench.forms import AuditFilterForm, BulkForm, RequestInfoForm

DAY = datetime.date(2026, 12, 14)


def date_forms():
    funder = FunderFactory()
    return [
        (RequestInfoForm, {}, "due_date"),
        (BulkForm, {"funder": funder, "applications": Application.objects.none()}, "due_date"),
        (AuditFilterForm, {}, "date_from"),
        (AuditFilterForm, {}, "date_to"),
        (ExtensionRequestForm, {}, "new_end_date"),
        (RegisterObjectionForm, {}, "received_on"),
        (BatchBuildForm, {"funder": funder}, "due_before"),
        (BatchBuildForm, {"funder": funder}, "execution_date"),
        (PlanForm, {"scheme": SchemeFactory(funder=funder)}, "project_start"),
        (PlanForm, {"scheme": SchemeFactory(funder=funder)}, "project_end"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_date_picker_is_given_its_date_as_the_browser_reads_it(language):
    with translation.override(language):
        for form_class, kwargs, name in date_forms():
            html = str(form_class(initial={name: DAY}, **kwargs)[name])
            assert 'type="date"' in html, (form_class.__name__, name)
            assert 'value="2026-12-14"' in html, (form_class.__name__, name, html)


FORBIDDEN = {
    "DecimalField": "an amount is a grants.fields.EuroField",
    "DateInput": "a date picker is grants.widgets.DateInput",
    "NumberInput": "an amount is a grants.fields.EuroField",
}


def project_modules():
    for app in ("grants", "workflow", "finance", "documents", "config"):
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            if "migrations" not in path.parts and path != Path(settings.BASE_DIR) / "grants" / "widgets.py":
                yield path


def test_no_form_builds_its_own_number_field_or_date_picker():
    """A form that takes `forms.DecimalField` or `forms.DateInput` (or subclasses it) brings the defects back."""
    found = []
    for path in project_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            # forms.DecimalField(...), widget=forms.DateInput, class DateInput(forms.DateInput) alike
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "forms"
                and node.attr in FORBIDDEN
            ):
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}: {FORBIDDEN[node.attr]}")
    assert not found, found


def test_every_e_mail_field_of_a_form_takes_no_more_than_a_model_keeps():
    """A form's EmailField takes 320 characters unless told otherwise; every address column holds 254, and
    PostgreSQL refuses a longer value with an error page instead of a message next to the field."""
    found = []
    for path in project_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "forms"
                and node.func.attr == "EmailField"
            ):
                limits = [k.value for k in node.keywords if k.arg == "max_length"]
                if not (limits and isinstance(limits[0], ast.Constant) and limits[0].value <= 254):
                    found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert not found, f"forms.EmailField without max_length=254: {found}"
