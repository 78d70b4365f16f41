"""The written acknowledgement of an objection (Awb 6:14): one e-mail to the team's contact person,
sent after the objection is committed, however it came in; and on the team's page the day it came
in and the day by which the funder decides."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from documents.models import OutgoingEmail
from documents.tasks import send_objection_receipt
from grants.models import Objection
from tests.factories import ApplicationFactory, DecisionFactory, staff
from tests.factories.portal import sent_letter
from workflow.actions import application_object, objection_extend_term
from workflow.exceptions import ActionRefused
from workflow.states import DecisionKind, DecisionStatus, Role

pytestmark = pytest.mark.django_db
AMS = datetime.timezone(datetime.timedelta(hours=1))


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=AMS), tick=False)


def team_page(client, application) -> str:
    client.force_login(application.team.contact)
    return client.get(reverse("portal:application", args=[application.pk])).content.decode()


def test_an_objection_lodged_in_the_portal_is_acknowledged_once_after_commit(
    client, django_capture_on_commit_callbacks
):
    """Rejection letter of 20 February 2026: the objection period ends on 3 April, the decision on the
    objection is due six weeks later, on 15 May (Awb 7:10)."""
    with at(datetime.date(2026, 3, 2)):
        application = ApplicationFactory(rejected=True, title="Muziek in de wijk")
        sent_letter(application, kind=DecisionKind.REJECTION, letter_date=datetime.date(2026, 2, 20))
        client.force_login(application.team.contact)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("portal:application_action", args=[application.pk, "object"]),
                {"grounds": "Ons plan voldoet wel aan criterium 2."},
            )
            assert mail.outbox == []  # nothing before the objection is committed
    assert response.status_code == 302

    (message,) = mail.outbox
    assert message.to == [application.team.contact.email]
    assert message.subject == f"Ontvangstbevestiging bezwaar {application.reference}"
    assert (
        "Op 2 maart 2026 hebben wij uw bezwaar ontvangen tegen ons besluit van 20 februari 2026 "
        'met het onderwerp "Besluit: aanvraag afgewezen".'
    ) in message.body
    assert f'uw aanvraag "Muziek in de wijk" ({application.scheme.name}), kenmerk {application.reference}' in (
        message.body
    )
    assert "Wij beslissen uiterlijk op 15 mei 2026 op het bezwaar." in message.body
    assert "Wij kunnen deze termijn één keer met zes weken verdagen" in message.body
    assert "15 mei 2026" in message.alternatives[0][0]

    # A second run of the task (a redelivery, a retry) finds the e-mail sent and sends nothing.
    send_objection_receipt.delay(Objection.objects.get(application=application).pk)
    assert len(mail.outbox) == 1

    with at(datetime.date(2026, 3, 2)):
        page = team_page(client, application)
    assert (
        "Ontvangen op 2 maart 2026 (tegen het besluit van 20 februari 2026); wij beslissen uiterlijk op 15 mei 2026."
    ) in page


def test_an_objection_registered_from_a_letter_is_acknowledged_with_the_day_it_came_in(
    client, django_capture_on_commit_callbacks
):
    """Received by post on 2 March, registered on 9 March: the acknowledgement and the team's page name
    2 March; the decision is due on 14 April and, postponed once, on 26 May (25 May is Whit Monday)."""
    with at(datetime.date(2026, 1, 20)):
        application = ApplicationFactory(rejected=True)
        DecisionFactory(
            application=application,
            kind=DecisionKind.REJECTION,
            status=DecisionStatus.TAKEN,
            letter_date=datetime.date(2026, 1, 20),
        )
    officer = staff(application.scheme.funder, Role.OFFICER)
    client.force_login(officer)
    with at(datetime.date(2026, 3, 9)), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("deadlines:application_action", args=[application.pk, "register-objection"]),
            {"received_on": "2026-03-02", "objector": "Stichting Ouderraad De Linde", "grounds": "Ons bezwaar"},
        )
        assert mail.outbox == []
    assert response.status_code == 302

    (message,) = mail.outbox
    assert message.to == [application.team.contact.email]
    assert (
        "Op 2 maart 2026 hebben wij het bezwaar van Stichting Ouderraad De Linde ontvangen tegen ons besluit "
        'van 20 januari 2026 met het onderwerp "Besluit: aanvraag afgewezen".'
    ) in message.body
    assert "Wij beslissen uiterlijk op 14 april 2026 op het bezwaar." in message.body
    with at(datetime.date(2026, 3, 9)):
        page = team_page(client, application)
    assert (
        "Ontvangen op 2 maart 2026 (tegen het besluit van 20 januari 2026); wij beslissen uiterlijk op 14 april 2026."
        in (page)
    )
    assert "Wij kunnen deze termijn één keer met zes weken verdagen" in page

    objection = Objection.objects.get(application=application)
    with at(datetime.date(2026, 4, 1)), django_capture_on_commit_callbacks(execute=True):
        objection_extend_term(objection=objection, actor=officer, reasons="Het advies van de jurist volgt.")
    # The notice of postponement also names the day it came in, not the day it was registered.
    assert "U heeft op 2 maart 2026 bezwaar gemaakt" in mail.outbox[1].body
    with at(datetime.date(2026, 4, 1)):
        page = team_page(client, application)
    assert "wij beslissen uiterlijk op 26 mei 2026." in page
    assert "Deze termijn is één keer verdaagd." in page


def test_a_third_partys_objection_is_acknowledged_to_them_with_a_copy_to_the_team(
    client, django_capture_on_commit_callbacks
):
    """Awb 6:14: the acknowledgement goes to who objected. A parents' council is not "you" of the application."""
    with at(datetime.date(2026, 1, 20)):
        application = ApplicationFactory(awarded=True, title="Muziek in de wijk")
        letter_date = datetime.date(2026, 1, 20)
        DecisionFactory(
            application=application, kind=DecisionKind.AWARD, status=DecisionStatus.TAKEN, letter_date=letter_date
        )
    officer = staff(application.scheme.funder, Role.OFFICER)
    client.force_login(officer)
    with at(datetime.date(2026, 3, 2)), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("deadlines:application_action", args=[application.pk, "register-objection"]),
            {
                "received_on": "2026-02-27",
                "objector": "Stichting Ouderraad De Linde",
                "objector_email": "ouderraad@delinde.example.nl",
                "grounds": "De muziekschool in onze wijk had dit geld moeten krijgen.",
            },
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert (message.to, message.cc) == (["ouderraad@delinde.example.nl"], [application.team.contact.email])
    assert message.body.startswith("Beste Stichting Ouderraad De Linde,")
    assert "hebben wij uw bezwaar ontvangen" in message.body
    assert 'Het besluit gaat over de aanvraag "Muziek in de wijk"' in message.body
    assert "aanvragersportaal" not in message.body  # the objector has no account there
    objection = Objection.objects.get(application=application)
    with at(datetime.date(2026, 3, 2)):
        page = client.get(reverse("deadlines:objection", args=[objection.pk])).content.decode()
    assert 'href="mailto:ouderraad@delinde.example.nl"' in page  # the officer sees where the letters go
    with at(datetime.date(2026, 4, 1)), django_capture_on_commit_callbacks(execute=True):
        objection_extend_term(objection=objection, actor=officer, reasons="Het advies van de jurist volgt.")
    postponed = mail.outbox[1]
    assert (postponed.to, postponed.cc) == (["ouderraad@delinde.example.nl"], [application.team.contact.email])
    assert 'ons besluit over de aanvraag "Muziek in de wijk"' in postponed.body


def test_a_refused_objection_is_not_acknowledged(django_capture_on_commit_callbacks):
    with at(datetime.date(2026, 4, 7)):  # the period of a letter of 20 February ended on 3 April
        application = ApplicationFactory(rejected=True)
        sent_letter(application, kind=DecisionKind.REJECTION, letter_date=datetime.date(2026, 2, 20))
        with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ActionRefused):
            application_object(application=application, actor=application.team.contact, grounds="Te laat")
    assert callbacks == []
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_the_objection_period_runs_from_the_day_the_letter_went_out_when_it_went_out_late(
    client, django_capture_on_commit_callbacks
):
    """Letter dated 20 February 2026 whose e-mail failed and went out on 25 February, when an officer
    retried it. By its date the period ended on 3 April; made known on 25 February, it ends on 8 April
    (Awb 6:8), so an objection of 7 April is on time and the decision on it is due by 20 May (7:10)."""
    with at(datetime.date(2026, 4, 7)):
        application = ApplicationFactory(rejected=True)
        letter = sent_letter(application, kind=DecisionKind.REJECTION, letter_date=datetime.date(2026, 2, 20))
        letter.sent_at = datetime.datetime(2026, 2, 25, 9, 30, tzinfo=AMS)
        letter.save(update_fields=["sent_at"])
        assert "8 april 2026" in team_page(client, application)
        with django_capture_on_commit_callbacks(execute=True):
            objection = application_object(
                application=application, actor=application.team.contact, grounds="Op tijd, gerekend vanaf verzending."
            )
    assert objection.due_date == datetime.date(2026, 5, 20)
