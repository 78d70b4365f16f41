"""Beheer's pages with rows cost the same queries however many rows there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import Signatory
from tests.factories import staff
from workflow.states import Role

pytestmark = pytest.mark.django_db


def test_the_funder_page_takes_the_same_queries_for_three_times_the_signatories(beheer, world):
    """Each signatory row is headed with its funder and offers the funder's colleagues in a select:
    both were read once per row (10 queries with 2 signatories, 18 with 6)."""
    url = reverse("beheer:grants_funder_change", args=[world.funder.pk])

    def add_signatories(count):
        for _ in range(count):
            colleague = staff(world.funder, Role.DECIDER)
            Signatory.objects.create(funder=world.funder, user=colleague, name=str(colleague), job_title="wethouder")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = beheer.get(url)
        assert response.status_code == 200
        return len(captured), response

    add_signatories(2)
    beheer.get(url)  # the session and content types read once
    few, _response = queries()
    add_signatories(4)
    many, response = queries()
    assert few == many
    last = Signatory.objects.filter(funder=world.funder).latest("pk")
    row = next(form for form in response.context["inline_admin_formsets"][0].formset.forms if form.instance == last)
    html = str(row["user"])
    assert f'<option value="{last.user_id}" selected>' in html  # each row still shows its own colleague
    assert html.count("<option") == 1 + 6 + 1  # the empty choice, six colleagues, the administrator
    assert str(world.other_admin) not in response.content.decode()  # and only this funder's


def _grow(world, count):
    """`count` more schemes (each with a letter text), colleagues and colleague invitations of the funder."""
    from documents.models import LetterText
    from grants.accounts.models import FunderInvitation
    from tests.factories import SchemeFactory, UserFactory

    for _ in range(count):
        scheme = SchemeFactory(funder=world.funder)
        LetterText.objects.create(scheme=scheme, kind="award", position="closing", body="Met vriendelijke groet")
        staff(world.funder, Role.REVIEWER)
        FunderInvitation.objects.create(
            funder=world.funder, role=Role.OFFICER, email=UserFactory.build().email, invited_by=world.admin
        )


@pytest.mark.parametrize(
    "page",
    [
        "beheer:grants_scheme_changelist",
        "beheer:documents_lettertext_changelist",
        "beheer:grants_funderrole_changelist",
        "beheer:accounts_funderinvitation_changelist",
    ],
)
def test_a_beheer_list_takes_the_same_queries_for_three_times_the_rows(beheer, world, page):
    url = reverse(page)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = beheer.get(url)
        assert response.status_code == 200
        return len(captured), response

    _grow(world, 2)
    beheer.get(url)  # the session and content types read once
    few, _response = queries()
    _grow(world, 4)
    many, response = queries()
    assert response.context["cl"].result_count >= 6
    assert few == many
