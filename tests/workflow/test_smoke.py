import pytest

from tests.factories import ApplicationFactory
from workflow.actions import application_submit
from workflow.states import ApplicationStatus

pytestmark = pytest.mark.django_db


def test_a_complete_draft_can_be_submitted(mailoutbox, django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, actor=application.team.contact)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference.startswith(application.scheme.reference_prefix)
    assert application.audit_events.get(action="submit").to_state == "submitted"
    assert len(mailoutbox) == 1
    assert application.reference in mailoutbox[0].subject


@pytest.mark.parametrize("state", ["in_review", "awarded", "active", "settled"])
def test_factory_traits_place_applications_in_state(state):
    application = ApplicationFactory(**{state: True})
    assert application.status == state
