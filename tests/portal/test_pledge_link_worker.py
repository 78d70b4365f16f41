"""On a real Celery worker over Redis: submitting e-mails the co-funder a link that opens its pledge."""

import email
import re

import pytest
from django.urls import reverse

from documents.models import OutgoingEmail
from grants.models import CoFundingPledge
from tests.factories import ApplicationFactory
from workflow.actions import application_submit

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_submission_sends_the_pledge_link_through_the_worker(celery_worker_process, client):
    application = ApplicationFactory(title="Dans op het plein")
    CoFundingPledge.objects.filter(application=application).update(contact_email="fonds@cultuur.nl")
    pledge = application.pledges.get()
    application_submit(application=application, actor=application.team.contact)

    def link_mail():
        sent = OutgoingEmail.objects.filter(
            key__startswith=f"pledge-link:{pledge.pk}:", status=OutgoingEmail.Status.SENT
        ).exists()
        messages = [email.message_from_string(text) for text in celery_worker_process.sent_mail()]
        return sent and [m for m in messages if m["To"] == "fonds@cultuur.nl"]

    messages = celery_worker_process.wait_until(link_mail, what="the co-funder's link e-mail")
    assert len(messages) == 1
    plain = next(part for part in messages[0].walk() if part.get_content_type() == "text/plain")
    body = plain.get_payload(decode=True).decode()
    assert "Dans op het plein" in body
    path = re.search(r"/portal/pledges/\S+/", body).group(0)
    response = client.get(path)
    assert response.status_code == 200
    assert "Dans op het plein" in response.content.decode()
    assert reverse("portal:pledge", args=[path.split("/")[3]]) == path
