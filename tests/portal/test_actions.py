"""The team's actions on the application page: each moves the application, refusals keep the input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import AuditEvent, Objection, Report
from tests.factories import ApplicationFactory, DecisionFactory, SchemeFactory, force_status, staff
from tests.factories.portal import information_request, member_of, sent_letter
from workflow.states import DecisionKind, DecisionStatus, Role

pytestmark = pytest.mark.django_db


def post(client, user, application, action, data=None):
    client.force_login(user)
    return client.post(reverse("portal:application_action", args=[application.pk, action]), data or {})


def test_answer_information_request_resubmits(client):
    application = ApplicationFactory(info_requested=True)
    request = information_request(application)
    colleague = member_of(application.team)
    response = post(client, colleague, application, "answer", {"answer": "De begroting van de partner zit erbij."})
    assert response.status_code == 302
    application.refresh_from_db()
    request.refresh_from_db()
    assert application.status == "submitted"
    assert application.term_paused_on is None
    assert request.answer == "De begroting van de partner zit erbij."
    assert request.answered_by == colleague
    page = client.get(response["Location"]).content.decode()
    assert "Uw antwoord is verstuurd" in page
    assert "Het team heeft de vraag om informatie beantwoord." in page


def test_refused_answer_shows_the_guards_reasons_and_keeps_the_input(client):
    application = ApplicationFactory(info_requested=True)
    information_request(application)
    application.budget_lines.all().delete()  # incomplete: the resubmit guard refuses
    answer = "Wij hebben de partner gevraagd; zie de bijlage."
    response = post(client, application.team.contact, application, "answer", {"answer": answer})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Voeg minstens één begrotingsregel toe." in html
    assert answer in html
    application.refresh_from_db()
    assert application.status == "info_requested"


def test_asked_for_information_the_team_finds_the_editor_and_after_resubmitting_no_longer(client):
    application = ApplicationFactory(info_requested=True)
    information_request(application)
    client.force_login(application.team.contact)
    page = reverse("portal:application", args=[application.pk])
    editor = reverse("apply:editor", args=[application.pk])
    html = client.get(page).content.decode()
    assert f'href="{editor}">Vul de aanvraag aan</a>' in html
    assert client.get(editor, follow=True).status_code == 200
    post(client, application.team.contact, application, "answer", {"answer": "Zie de aangepaste begroting."})
    assert editor not in client.get(page).content.decode()


def test_empty_answer_is_a_form_error(client):
    application = ApplicationFactory(info_requested=True)
    information_request(application)
    response = post(client, application.team.contact, application, "answer", {"answer": "  "})
    assert response.status_code == 422
    assert "Dit veld is verplicht." in response.content.decode()


def test_withdraw_with_reason(client):
    application = ApplicationFactory(submitted=True)
    reason = "De school heeft andere prioriteiten gekregen."
    response = post(client, application.team.contact, application, "withdraw", {"reason": reason})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    event = AuditEvent.objects.get(application=application, action="withdraw")
    assert event.reason == reason


def test_withdrawing_cancels_the_prepared_decision_in_the_audit_trail_not_in_the_teams_history(client):
    decision = DecisionFactory()  # the officer prepared an award; the team does not see it
    application = decision.application
    response = post(client, application.team.contact, application, "withdraw", {"reason": "Geen tijd meer."})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CANCELLED
    event = AuditEvent.objects.get(action="cancel_decision")
    assert (event.application, event.subject_id, event.actor) == (application, decision.pk, application.team.contact)
    assert (event.from_state, event.to_state) == ("prepared", "cancelled")
    assert event.data == {"kind": "award", "why": "withdrawn"}
    # The team's history says it withdrew, in Dutch, and shows no internal step or code.
    page = client.get(response["Location"]).content.decode()
    assert "De aanvraag is ingetrokken." in page
    assert "cancel_decision" not in page
    assert "prepare_decision" not in page
    # The funder's staff find the cancellation in the application's audit trail.
    client.force_login(staff(application.scheme.funder, Role.OFFICER))
    trail = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    assert "<td>Voorbereid besluit geannuleerd</td><td>Voorbereid</td><td>Geannuleerd</td>" in trail
    assert "cancel_decision" not in trail  # the action by its label, not its code


def test_withdraw_refused_in_a_later_state_says_why(client):
    application = ApplicationFactory(awarded=True)
    response = post(client, application.team.contact, application, "withdraw", {"reason": "Toch niet."})
    html = response.content.decode()
    assert response.status_code == 422
    assert "niet mogelijk" in html
    assert "Toch niet." in html


def test_object_within_six_weeks_and_refused_after(client):
    application = ApplicationFactory(rejected=True)
    sent_letter(application, kind=DecisionKind.REJECTION, letter_date=timezone.localdate() - datetime.timedelta(days=5))
    grounds = "Ons plan voldoet wel aan criterium 2: zie bladzijde 4."
    response = post(client, application.team.contact, application, "object", {"grounds": grounds})
    assert response.status_code == 302
    assert Objection.objects.get(application=application).grounds == grounds

    late = ApplicationFactory(rejected=True)
    sent_letter(late, kind=DecisionKind.REJECTION, letter_date=timezone.localdate() - datetime.timedelta(days=60))
    page = client.get(reverse("portal:application", args=[late.pk])).content.decode()
    assert "Bezwaar indienen" not in page  # the form is not offered, the reason is shown instead
    client.force_login(late.team.contact)
    response = post(client, late.team.contact, late, "object", {"grounds": grounds})
    html = response.content.decode()
    assert response.status_code == 422
    assert grounds in html
    late.refresh_from_db()
    assert late.status == "rejected"


def test_after_the_decision_on_the_objection_the_team_cannot_object_again(client):
    from workflow.actions import objection_decide

    application = ApplicationFactory(rejected=True)
    sent_letter(application, kind=DecisionKind.REJECTION, letter_date=timezone.localdate() - datetime.timedelta(days=5))
    post(client, application.team.contact, application, "object", {"grounds": "Ons plan voldoet wel."})
    objection = Objection.objects.get(application=application)
    decider = staff(application.scheme.funder, Role.DECIDER)
    objection_decide(objection=objection, actor=decider, overturn=False, reasons="Het plan voldoet niet.")

    page = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert "Bezwaar indienen" not in page  # no form: the reason (appeal to the court) is shown instead
    assert "bezwaar maken tot" not in page
    response = post(client, application.team.contact, application, "object", {"grounds": "Toch nog eens."})
    assert response.status_code == 422
    assert "Toch nog eens." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "rejected"
    assert Objection.objects.filter(application=application).count() == 1
    listing = client.get(reverse("portal:index")).content.decode()
    assert "bezwaar maken tot" not in listing


def test_start_the_project_schedules_reports(client):
    scheme = SchemeFactory(interim_report_months=3, final_report_weeks=8)
    application = ApplicationFactory(awarded=True, scheme=scheme)
    response = post(client, application.team.contact, application, "start")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "active"
    assert set(Report.objects.filter(application=application).values_list("kind", flat=True)) == {"interim", "final"}
    page = client.get(response["Location"]).content.decode()
    assert "Het project is gestart." in page
    assert "Eindverslag" in page


def test_starting_before_the_project_period_is_refused_with_the_day_it_can(client, settings):
    later = timezone.localdate() + datetime.timedelta(days=45)
    application = ApplicationFactory(
        awarded=True, project_start=later, project_end=later + datetime.timedelta(days=300)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post(client, application.team.contact, application, "start")
    assert response.status_code == 422
    assert "you can start the project from that day" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "awarded"
    assert not Report.objects.filter(application=application).exists()


def test_no_other_page_moves_the_project_start_to_today_so_the_start_goes_through(client):
    """The only way round the guard would be an earlier start date: the plan is closed once submitted, the
    project dates page only shows the dates, and an extension moves only the end."""
    later = timezone.localdate() + datetime.timedelta(days=45)
    application = ApplicationFactory(
        awarded=True, project_start=later, project_end=later + datetime.timedelta(days=300)
    )
    client.force_login(application.team.contact)
    today = timezone.localdate().isoformat()
    client.post(
        reverse("apply:step", args=[application.pk, "plan"]),
        {"title": application.title, "project_start": today, "project_end": later.isoformat()},
    )
    client.post(reverse("deadlines:project", args=[application.pk]), {"project_start": today})  # shown, not saved
    application.refresh_from_db()
    assert application.project_start == later
    assert post(client, application.team.contact, application, "start").status_code == 422
    application.refresh_from_db()
    assert application.status == "awarded"
    assert not AuditEvent.objects.filter(application=application, action="start").exists()


def test_unknown_action_and_get_are_refused(client):
    application = ApplicationFactory(submitted=True)
    client.force_login(application.team.contact)
    assert client.post(reverse("portal:application_action", args=[application.pk, "award"])).status_code == 404
    assert client.get(reverse("portal:application_action", args=[application.pk, "withdraw"])).status_code == 405


def test_draft_links_to_the_editor_when_it_exists(client):
    application = ApplicationFactory()
    force_status(application, "draft")
    client.force_login(application.team.contact)
    html = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    from grants.portal.pages import editor_url

    url = editor_url(application)
    if url:
        assert url in html


def test_the_team_objects_to_an_extension_refusal_while_the_project_runs(client):
    application = ApplicationFactory(status_="active")
    sent_letter(
        application, kind=DecisionKind.EXTENSION_DENIED, letter_date=timezone.localdate() - datetime.timedelta(days=5)
    )
    client.force_login(application.team.contact)
    page = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert "Bezwaar indienen" in page  # the form is offered while the project runs
    grounds = "De verlenging is nodig om de tweede school mee te laten doen."
    response = post(client, application.team.contact, application, "object", {"grounds": grounds})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "active"
    objection = Objection.objects.get(application=application)
    assert (objection.grounds, objection.decision.kind) == (grounds, DecisionKind.EXTENSION_DENIED)
    page = client.get(response["Location"]).content.decode()
    assert "Bezwaar indienen" not in page  # one open objection: the reason is shown instead of the form
