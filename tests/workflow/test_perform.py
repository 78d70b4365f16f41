"""`perform()` saves exactly what a transition changed, and audits it once."""

import pytest

from grants.models import AuditEvent
from tests.factories import ApplicationFactory, SchemeFactory, staff
from workflow.states import Role
from workflow.transitions import _snapshot, perform

pytestmark = pytest.mark.django_db


def test_snapshot_sees_json_values_changed_in_place():
    scheme = SchemeFactory(tracks=["co-creatie"])
    before = _snapshot(scheme)
    scheme.tracks.append("helikopterview")
    assert before["tracks"] == ["co-creatie"]
    assert _snapshot(scheme)["tracks"] != before["tracks"]


def test_perform_saves_the_fields_the_transition_set_and_nothing_else():
    application = ApplicationFactory(cofunding_check=True)
    officer = staff(application.scheme.funder, Role.DECIDER)
    # A change made outside the transition on the same instance is not saved by perform().
    application.title = "Niet via perform opslaan"
    perform(application, "award", actor=officer, kwargs={"amount": application.requested_amount})
    application.refresh_from_db()
    assert application.status == "awarded"
    assert application.awarded_amount == application.requested_amount
    assert application.decided_at is not None
    assert application.title != "Niet via perform opslaan"
    event = AuditEvent.objects.get(application=application, action="award")
    assert (event.from_state, event.to_state, event.actor) == ("cofunding_check", "awarded", officer)


def test_perform_of_uphold_returns_to_the_state_before_the_objection():
    application = ApplicationFactory(objection=True)
    type(application).objects.filter(pk=application.pk).update(status_before_objection="settled")
    application.refresh_from_db()
    decider = staff(application.scheme.funder, Role.DECIDER)
    perform(application, "uphold", actor=decider)
    application.refresh_from_db()
    assert (application.status, application.status_before_objection) == ("settled", "")
    event = AuditEvent.objects.get(application=application, action="uphold")
    assert (event.from_state, event.to_state) == ("objection", "settled")
