"""axe on the remaining deadline pages: an objection, a confirmation form, an application's terms."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grants.models import InformationRequest, Objection
from tests.browser.test_extension import sign_in
from tests.factories import ApplicationFactory, DecisionFactory, staff
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus, Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_objection_set_aside_and_final_decision_pages_are_accessible(page, live_server, axe):
    today = timezone.localdate()
    rejected = ApplicationFactory(rejected=True)
    funder = rejected.scheme.funder
    officer = staff(funder, Role.OFFICER)
    decision = DecisionFactory(
        application=rejected,
        kind=DecisionKind.REJECTION,
        status=DecisionStatus.TAKEN,
        letter_date=today - datetime.timedelta(days=10),
    )
    objection = Objection.objects.create(
        application=rejected,
        decision=decision,
        grounds="Wij zijn het oneens.",
        submitted_by=rejected.team.contact,
        due_date=today + datetime.timedelta(weeks=5),
    )
    type(rejected).objects.filter(pk=rejected.pk).update(
        status=ApplicationStatus.OBJECTION, status_before_objection=ApplicationStatus.REJECTED
    )
    final = ApplicationFactory(rejected=True, scheme=rejected.scheme)
    DecisionFactory(
        application=final,
        kind=DecisionKind.REJECTION,
        status=DecisionStatus.TAKEN,
        letter_date=today - datetime.timedelta(days=50),
    )
    lapsed = ApplicationFactory(info_requested=True, scheme=rejected.scheme)
    InformationRequest.objects.create(
        application=lapsed, message="Begroting", due_date=today - datetime.timedelta(days=1), requested_by=officer
    )

    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/deadlines/objections/{objection.pk}/")
    expect(page.get_by_role("heading", name="Beslissing zes weken verdagen")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Verdagen en het team berichten").click()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()  # the reason is required
    axe(page)

    page.goto(f"{live_server.url}/deadlines/applications/{final.pk}/")
    expect(page.get_by_text("Onherroepelijk")).to_be_visible()
    axe(page)

    page.goto(f"{live_server.url}/deadlines/")
    page.get_by_role("link", name=f"Buiten behandeling stellen {lapsed.reference}").click()
    axe(page)
    page.get_by_role("button", name="Bevestigen en brief versturen").click()
    expect(page.get_by_text("De aanvraag is buiten behandeling gesteld")).to_be_visible()
    lapsed.refresh_from_db()
    assert lapsed.status == ApplicationStatus.NOT_CONSIDERED
