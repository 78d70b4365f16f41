"""The co-funder's personal link: e-mailed on submission, opens one pledge, confirms without an account."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants.models import Attachment, AuditEvent, CoFundingPledge
from grants.portal import pledge_links
from tests.factories import ApplicationFactory, force_status, staff
from workflow import actions
from workflow.exceptions import PermissionRefused
from workflow.states import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def pledge():
    application = ApplicationFactory(submitted=True, title="Kunst in de wijk")
    pledge = application.pledges.get()
    CoFundingPledge.objects.filter(pk=pledge.pk).update(contact_email="penningmeester@bestuur.nl")
    pledge.refresh_from_db()
    return pledge


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_submission_emails_the_cofunder_a_working_link(client, django_capture_on_commit_callbacks):
    application = ApplicationFactory(title="Kunst in de wijk")
    CoFundingPledge.objects.filter(application=application).update(contact_email="penningmeester@bestuur.nl")
    with django_capture_on_commit_callbacks(execute=True):
        actions.application_submit(application=application, actor=application.team.contact)
    to_cofunder = [m for m in mail.outbox if m.to == ["penningmeester@bestuur.nl"]]
    assert len(to_cofunder) == 1
    message = to_cofunder[0]
    assert "Kunst in de wijk" in message.subject
    assert "cofinanciering" in message.body
    html = message.alternatives[0][0]
    url = re.search(r"https?://\S+/portal/pledges/\S+/", message.body).group(0)
    assert url in html
    page = client.get(path_of(url))
    assert page.status_code == 200
    assert "Kunst in de wijk" in page.content.decode()
    # Sent once: a second run of the task sends nothing more.
    from grants.portal.tasks import send_pledge_links

    assert send_pledge_links(application.pk) == 0
    assert len([m for m in mail.outbox if m.to == ["penningmeester@bestuur.nl"]]) == 1


def test_the_page_shows_only_that_pledge_and_confirms_it(client, pledge):
    other = ApplicationFactory(submitted=True, title="Ander project")
    url = reverse("portal:pledge", args=[pledge_links.make_token(pledge)])
    html = client.get(url).content.decode()
    assert "Kunst in de wijk" in html
    assert pledge.application.team.name in html
    assert "€ 10.000,00" in html
    assert "Ander project" not in html
    assert other.team.name not in html
    assert pledge.application.summary not in html  # only the pledge, not the plan
    response = client.post(url, {"step": "confirm"})
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "confirmed"
    event = AuditEvent.objects.get(action="confirm", subject_id=pledge.pk)
    assert event.actor is None
    assert event.data == {"via_token": True}
    after = client.get(url).content.decode()
    assert "U heeft de cofinanciering bevestigd." in after
    assert "U heeft deze cofinanciering op" in after
    assert "Cofinanciering bevestigen" not in after
    # The team reads it in its history, without an account name for the co-funder.
    client.force_login(pledge.application.team.contact)
    history = client.get(reverse("portal:application", args=[pledge.application.pk])).content.decode()
    assert f"{pledge.cofunder.name} heeft de cofinanciering van € 10.000,00 bevestigd." in history
    assert "(een cofinancier)" in history
    # The officer sees how it was confirmed, and where the link went.
    client.force_login(staff(pledge.application.scheme.funder, Role.OFFICER))
    workbench = client.get(reverse("workbench:application", args=[pledge.application.pk])).content.decode()
    assert "via de persoonlijke link aan penningmeester@bestuur.nl" in workbench


def test_the_page_says_whom_at_the_team_to_ask(client, pledge):
    """It said "Questions? Contact the teacher team." and gave no name or address to do so."""
    contact = pledge.application.team.contact
    html = client.get(reverse("portal:pledge", args=[pledge_links.make_token(pledge)])).content.decode()
    shown = html[html.index('data-testid="team-contact"') :]
    shown = shown[: shown.index("</p>")]
    assert contact.get_full_name() in shown
    assert contact.email in shown


def test_withdraw_through_the_link(client, pledge):
    url = reverse("portal:pledge", args=[pledge_links.make_token(pledge)])
    response = client.post(url, {"step": "withdraw", "reason": "Het bestuur heeft anders besloten."})
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "withdrawn"
    assert "Deze toezegging is ingetrokken." in client.get(url).content.decode()


def test_a_withdrawal_after_the_award_tells_the_officers_and_the_team_cannot_take_back_a_confirmed_pledge(
    client, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(awarded=True, title="Kunst in de wijk")
    pledge = application.pledges.get()
    CoFundingPledge.objects.filter(pk=pledge.pk).update(contact_email="penningmeester@bestuur.nl")
    pledge.refresh_from_db()
    force_status(pledge, "confirmed")
    officer = staff(application.scheme.funder, Role.OFFICER)
    with pytest.raises(PermissionRefused):  # the co-funder's word, not the team's
        actions.pledge_withdraw(pledge=pledge, actor=application.team.contact, reason="Toch niet")
    mail.outbox.clear()
    url = reverse("portal:pledge", args=[pledge_links.make_token(pledge)])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"step": "withdraw", "reason": "Het bestuur heeft anders besloten."})
    pledge.refresh_from_db()
    assert pledge.status == "withdrawn"
    [message] = mail.outbox
    assert message.to == [officer.email]
    assert message.subject == f"Cofinanciering ingetrokken: {application.reference}"
    assert f"{pledge.cofunder.name} heeft de bevestigde toezegging van € 10.000,00" in message.body
    assert "Bevestigde cofinanciering nu: € 0,00." in message.body


def test_tampered_link_says_so(client, pledge):
    token = pledge_links.make_token(pledge)
    for bad in (token[:-2] + "xx", "niets", token.replace(token.split(":")[0], "eyJwIjo5OTl9")):
        response = client.get(reverse("portal:pledge", args=[bad]))
        assert response.status_code == 404
        assert "Deze link werkt niet" in response.content.decode()
        assert client.post(reverse("portal:pledge", args=[bad]), {"step": "confirm"}).status_code == 404
    pledge.refresh_from_db()
    assert pledge.status == "pledged"


def test_expired_link_says_so(client, pledge):
    token = pledge_links.make_token(pledge)
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=31)):
        response = client.post(reverse("portal:pledge", args=[token]), {"step": "confirm"})
    assert response.status_code == 410
    assert "Deze link is verlopen" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == "pledged"


def test_link_stops_working_when_the_address_changes(client, pledge):
    token = pledge_links.make_token(pledge)
    CoFundingPledge.objects.filter(pk=pledge.pk).update(contact_email="iemand.anders@bestuur.nl")
    assert client.get(reverse("portal:pledge", args=[token])).status_code == 404


def test_team_sends_the_link_again_once_a_day(client, pledge, django_capture_on_commit_callbacks):
    application = pledge.application
    client.force_login(application.team.contact)
    url = reverse("portal:pledge_link", args=[application.pk, pledge.pk])
    page = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert url in page
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        assert response.status_code == 302
    sent = [m for m in mail.outbox if m.to == ["penningmeester@bestuur.nl"]]
    assert len(sent) == 1
    page = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert "Een nieuwe link is onderweg naar penningmeester@bestuur.nl." in page
    assert "Er is vandaag al een nieuwe link naar penningmeester@bestuur.nl gestuurd" in page  # the second ask
    link = re.search(r"https?://\S+/portal/pledges/\S+/", sent[0].body).group(0)
    assert client.get(path_of(link)).status_code == 200


def test_sending_again_is_only_for_the_team_and_open_pledges(client, pledge, django_capture_on_commit_callbacks):
    application = pledge.application
    url = reverse("portal:pledge_link", args=[application.pk, pledge.pk])
    client.force_login(ApplicationFactory().team.contact)
    assert client.post(url).status_code == 404
    other_pledge = ApplicationFactory(submitted=True).pledges.get()
    client.force_login(application.team.contact)
    assert client.post(reverse("portal:pledge_link", args=[application.pk, other_pledge.pk])).status_code == 404
    force_status(pledge, "confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert not [m for m in mail.outbox if m.to == ["penningmeester@bestuur.nl"]]


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_confirm_with_evidence_stores_a_checked_attachment(client, pledge):
    url = reverse("portal:pledge", args=[pledge_links.make_token(pledge)])
    upload = SimpleUploadedFile("../../besluit bestuur.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(url, {"step": "confirm", "evidence": upload})
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "confirmed"
    attachment = pledge.evidence
    assert attachment.application == pledge.application
    assert attachment.uploaded_by is None
    assert attachment.original_name == "besluit bestuur.pdf"
    assert attachment.content_type == "application/pdf"
    assert AuditEvent.objects.filter(subject_id=attachment.pk, data__via_token=True).exists()


def test_evidence_that_is_not_a_document_is_refused_and_nothing_changes(client, pledge):
    url = reverse("portal:pledge", args=[pledge_links.make_token(pledge)])
    upload = SimpleUploadedFile("bewijs.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"step": "confirm", "evidence": upload})
    html = response.content.decode()
    assert response.status_code == 422
    assert "We kijken naar wat het bestand bevat" in html or "bewijs.pdf" in html
    pledge.refresh_from_db()
    assert pledge.status == "pledged"
    assert pledge.evidence is None
    assert not Attachment.objects.filter(application=pledge.application, uploaded_by=None).exists()
