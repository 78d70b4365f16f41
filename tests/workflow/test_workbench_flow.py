"""The workbench's pages drive the real actions: screening, review, co-funding, four eyes, bulk, audit."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from documents.models import Letter
from grants.audit import record_event
from grants.models import Application, AuditEvent, Review
from tests.factories import ApplicationFactory, FunderFactory, ReviewFactory, SchemeFactory, staff
from workflow import actions
from workflow.states import ApplicationStatus, DecisionStatus, PledgeStatus, ReviewStatus, Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def team():
    funder = FunderFactory()
    scheme = SchemeFactory(funder=funder, min_reviews=1)
    return {
        "funder": funder,
        "scheme": scheme,
        "officer": staff(funder, Role.OFFICER),
        "decider": staff(funder, Role.DECIDER),
        "reviewer": staff(funder, Role.REVIEWER),
    }


def act(client, application, action, data=None):
    return client.post(reverse("workbench:application_action", args=[application.pk, action]), data or {})


def test_screening_request_info_keeps_input_on_refusal_and_pauses_term(client, team):
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    client.force_login(team["officer"])
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = act(client, application, "request_info", {"message": "Begroting ontbreekt", "due_date": past})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Begroting ontbreekt" in body  # nothing the user entered is lost
    future = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = act(client, application, "request_info", {"message": "Begroting ontbreekt", "due_date": future})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert application.term_paused_on
    assert Letter.objects.filter(decision__application=application).exists()


def test_eligibility_confirmed_on_a_page_left_open_after_the_team_withdrew_is_refused_with_the_reason(client, team):
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    client.force_login(team["officer"])
    assert (
        "Ontvankelijkheid bevestigen"
        in client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    )
    actions.application_withdraw(application=application, actor=application.team.contact, reason="Ziekte in het team")
    checklist = dict.fromkeys(("complete", "school_types", "within_maximum", "cofunding", "activities"), "on")
    response = act(client, application, "eligibility", checklist)
    assert response.status_code == 422
    assert (
        "„Ontvankelijkheid bevestigen” is niet mogelijk zolang de status „Ingetrokken” is." in response.content.decode()
    )
    application.refresh_from_db()
    assert application.eligibility_confirmed_at is None
    assert not AuditEvent.objects.filter(application=application, action="confirm_eligibility").exists()


def test_ineligible_needs_reasons_and_creates_the_letter(client, team):
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    client.force_login(team["officer"])
    assert act(client, application, "ineligible", {"reasons": ""}).status_code == 422
    assert act(client, application, "ineligible", {"reasons": "Geen bo-school"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert Letter.objects.filter(decision__application=application, decision__kind="ineligible").exists()


def test_conflicted_reviewer_is_blocked_with_the_reason(client, team):
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    school = application.schools.get()
    school.board.members.add(team["reviewer"])
    client.force_login(team["officer"])
    page = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    assert school.board.name in page  # the pool shows why this reviewer cannot review
    response = act(client, application, "assign", {"reviewer": team["reviewer"].pk})
    assert response.status_code == 422
    assert school.board.name in response.content.decode()
    assert not Review.objects.filter(application=application).exists()


def test_the_assign_list_offers_only_reviewers_not_yet_on_the_application_and_the_pool_says_where_each_is(
    client, team, settings
):
    """The list offered reviewers already assigned (then refused as "already assigned"), and the pool called
    a reviewer who had declared a conflict of interest simply "assigned"."""
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    declared, free = team["reviewer"], staff(team["funder"], Role.REVIEWER)
    review = Review.objects.create(application=application, reviewer=declared, assigned_by=team["officer"])
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.CONFLICT_DECLARED, conflict_reason="Mijn zus")
    client.force_login(team["officer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    select = page.split('name="reviewer"')[1].split("</select>")[0]
    assert f'value="{free.pk}"' in select
    assert f'value="{declared.pk}"' not in select
    assert f"{escape(str(declared))} — conflict of interest declared" in page
    response = act(client, application, "assign", {"reviewer": declared.pk})  # a page left open meanwhile
    assert response.status_code == 422
    assert escape(f"{declared} is already assigned.") in response.content.decode()


def test_reviewer_sees_who_is_involved_but_not_the_plan_until_declaring_no_conflict_then_scores(client, team):
    application = ApplicationFactory(scheme=team["scheme"], in_review=True)
    review = ReviewFactory(application=application, reviewer=team["reviewer"], assigned_by=team["officer"])
    client.force_login(team["reviewer"])
    url = reverse("workbench:review", args=[review.pk])
    body = client.get(url).content.decode()
    assert application.title in body
    assert application.summary not in body
    assert application.budget_lines.first().description not in body
    school = application.schools.get()
    # The names to declare (no) conflict of interest against.
    for name in (application.team.name, school.name, school.board.name, application.pledges.get().cofunder.name):
        assert escape(name) in body
    client.post(reverse("workbench:review_action", args=[review.pk, "no_conflict"]))
    body = client.get(url).content.decode()
    assert application.summary in body
    criteria = list(team["scheme"].criteria.all())
    draft = {f"criterion_{criteria[0].pk}": 7, "comment": "Sterk plan"}
    client.post(reverse("workbench:review_action", args=[review.pk, "scores"]), {**draft, "draft": "1"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.NO_CONFLICT
    assert review.scores.count() == 1
    incomplete = client.post(reverse("workbench:review_action", args=[review.pk, "scores"]), {**draft, "submit": "1"})
    assert incomplete.status_code == 422
    assert "Sterk plan" in incomplete.content.decode()
    full = {**draft, f"criterion_{criteria[1].pk}": 5, "recommendation": "award", "submit": "1"}
    client.post(reverse("workbench:review_action", args=[review.pk, "scores"]), full)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert review.weighted_score == Decimal("63.33")


def test_the_officer_reads_one_review_in_the_singular(client, team, settings):
    """It said "from 1 reviews"."""
    application = ApplicationFactory(scheme=team["scheme"], in_review=True)
    review = ReviewFactory(application=application, reviewer=team["reviewer"], assigned_by=team["officer"])
    client.force_login(team["reviewer"])
    client.post(reverse("workbench:review_action", args=[review.pk, "no_conflict"]))
    scores = {f"criterion_{criterion.pk}": 6 for criterion in team["scheme"].criteria.all()}
    client.post(
        reverse("workbench:review_action", args=[review.pk, "scores"]),
        {**scores, "recommendation": "award", "submit": "1"},
    )
    client.force_login(team["officer"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    assert "of 100 from 1 review." in html


def test_a_reviewer_sees_the_history_of_their_own_review_not_the_applications_audit_trail(client, team):
    """The audit trail names other reviewers, their conflicts and scores, and the team's bank details."""
    application = ApplicationFactory(scheme=team["scheme"], in_review=True)
    colleague = staff(team["funder"], Role.REVIEWER)
    theirs = ReviewFactory(application=application, reviewer=colleague, assigned_by=team["officer"])
    actions.review_declare_conflict(review=theirs, actor=colleague, reason="Mijn partner werkt bij deze school")
    record_event(application, actor=team["officer"], action="bank_details_confirmed", reason="IBAN NL91ABNA0417164300")
    mine = ReviewFactory(application=application, reviewer=team["reviewer"], assigned_by=team["officer"])
    client.force_login(team["reviewer"])
    client.post(reverse("workbench:review_action", args=[mine.pk, "no_conflict"]))
    body = client.get(reverse("workbench:review", args=[mine.pk])).content.decode()
    assert "Geschiedenis van uw beoordeling" in body
    assert "Geen belangenconflict" in body  # the reviewer's own declaration
    assert "Mijn partner werkt bij deze school" not in body
    assert colleague.get_full_name() not in body
    assert "NL91ABNA0417164300" not in body


def test_strong_disagreement_is_flagged(client, team):
    application = ApplicationFactory(scheme=team["scheme"], reviewed=True)
    for score in (Decimal("90"), Decimal("50")):
        review = ReviewFactory(application=application)
        Review.objects.filter(pk=review.pk).update(status=ReviewStatus.SUBMITTED, weighted_score=score)
    client.force_login(team["officer"])
    response = client.get(reverse("workbench:application", args=[application.pk]))
    assert response.context["scores"]["disagreement"] is True
    assert response.context["scores"]["average"] == Decimal("70.00")


def test_oversized_evidence_is_refused_with_its_size_and_confirms_nothing(client, team, settings):
    settings.GRANTDESK_MAX_UPLOAD_BYTES = 1000  # held while the body is read (grants.uploads.upload_view)
    application = ApplicationFactory(scheme=team["scheme"], reviewed=True)
    pledge = application.pledges.get()
    client.force_login(team["officer"])
    big = SimpleUploadedFile("toezegging.pdf", PDF + b"0" * 5000, content_type="application/pdf")
    response = act(client, application, "confirm_pledge", {"pledge": pledge.pk, "evidence": big})
    assert response.status_code == 422
    assert "is groter dan" in response.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PLEDGED
    assert application.attachments.count() == 0


def test_cofunding_confirmed_on_behalf_needs_evidence_checked_by_content(client, team):
    application = ApplicationFactory(scheme=team["scheme"], reviewed=True)
    pledge = application.pledges.get()
    client.force_login(team["officer"])
    assert act(client, application, "confirm_pledge", {"pledge": pledge.pk}).status_code == 422
    fake = SimpleUploadedFile("brief.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = act(client, application, "confirm_pledge", {"pledge": pledge.pk, "evidence": fake})
    assert response.status_code == 422
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PLEDGED
    assert application.attachments.count() == 0
    html_as_docx = SimpleUploadedFile("brief.docx", b"<html><script>alert(1)</script></html>")
    response = act(client, application, "confirm_pledge", {"pledge": pledge.pk, "evidence": html_as_docx})
    assert response.status_code == 422
    assert "Wij kijken naar wat er in het bestand staat" in response.content.decode()
    real = SimpleUploadedFile("../../etc/toezegging.pdf", PDF, content_type="application/pdf")
    assert act(client, application, "confirm_pledge", {"pledge": pledge.pk, "evidence": real}).status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CONFIRMED
    assert pledge.evidence.content_type == "application/pdf"
    # Same rules as the applicants' attachments: a harmless display name, a random stored name.
    assert pledge.evidence.original_name == "toezegging.pdf"
    assert "toezegging" not in pledge.evidence.file.name
    added = AuditEvent.objects.filter(application=application, action="attachment.added", actor=team["officer"])
    assert added.get().data["name"] == "toezegging.pdf"
    # A refused confirmation leaves neither the attachment nor its stored file behind.
    stored = set(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    again = SimpleUploadedFile("nogmaals.pdf", PDF, content_type="application/pdf")
    assert act(client, application, "confirm_pledge", {"pledge": pledge.pk, "evidence": again}).status_code == 422
    assert application.attachments.count() == 1
    assert set(Path(settings.MEDIA_ROOT).rglob("*.pdf")) == stored
    assert added.count() == 1


def test_four_eyes_prepare_lower_award_and_another_decider_takes_it(client, team):
    application = ApplicationFactory(scheme=team["scheme"], cofunding_check=True, amount=Decimal("10000.00"))
    officer_decider = staff(team["funder"], Role.OFFICER)
    from grants.models import FunderRole

    FunderRole.objects.create(user=officer_decider, funder=team["funder"], role=Role.DECIDER)
    client.force_login(officer_decider)
    data = {"kind": "award", "amount": "8000.00", "conditions": "Eindverslag binnen 8 weken"}
    assert act(client, application, "prepare_decision", data).status_code == 302
    decision = application.decisions.get(status=DecisionStatus.PREPARED)
    response = act(client, application, "take_decision", {"decision": decision.pk})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.COFUNDING_CHECK  # the preparer cannot take it
    client.force_login(team["decider"])
    act(client, application, "take_decision", {"decision": decision.pk})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWARDED
    assert application.awarded_amount == Decimal("8000.00")
    assert Letter.objects.filter(decision=decision).exists()


def test_a_decider_taking_a_decision_after_the_team_withdrew_is_told_it_was_withdrawn(client, team):
    application = ApplicationFactory(scheme=team["scheme"], cofunding_check=True, amount=Decimal("10000.00"))
    client.force_login(team["officer"])
    data = {"kind": "award", "amount": "10000.00", "conditions": "Eindverslag binnen 8 weken"}
    assert act(client, application, "prepare_decision", data).status_code == 302
    decision = application.decisions.get(status=DecisionStatus.PREPARED)
    actions.application_withdraw(application=application, actor=application.team.contact, reason="Ziekte in het team")
    client.force_login(team["decider"])
    response = client.post(
        reverse("workbench:application_action", args=[application.pk, "take_decision"]),
        {"decision": decision.pk},
        follow=True,
    )
    page = response.content.decode()
    assert "„Verlenen” is niet mogelijk zolang de status „Ingetrokken” is." in page
    assert "al genomen of is vervangen" not in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_bulk_reports_each_item_and_never_fails_as_a_whole(client, team):
    ready = ApplicationFactory(scheme=team["scheme"], submitted=True)
    Application.objects.filter(pk=ready.pk).update(eligibility_confirmed_at=timezone.now())
    not_ready = ApplicationFactory(scheme=team["scheme"], submitted=True)
    client.force_login(team["officer"])
    response = client.post(
        reverse("workbench:bulk"),
        {
            "funder": team["funder"].slug,
            "action": "assign_reviewer",
            "reviewer": team["reviewer"].pk,
            "applications": [ready.pk, not_ready.pk],
        },
    )
    assert response.status_code == 200
    assert all(o.ok for o in response.context["outcomes"])
    response = client.post(
        reverse("workbench:bulk"),
        {"funder": team["funder"].slug, "action": "start_review", "applications": [ready.pk, not_ready.pk]},
    )
    outcomes = {o.application.pk: o for o in response.context["outcomes"]}
    assert outcomes[ready.pk].ok
    assert not outcomes[not_ready.pk].ok
    assert outcomes[not_ready.pk].messages
    assert Application.objects.get(pk=ready.pk).status == ApplicationStatus.IN_REVIEW
    assert Application.objects.get(pk=not_ready.pk).status == ApplicationStatus.SUBMITTED


def test_a_refused_bulk_action_says_which_field_and_keeps_the_message_and_the_ticks(client, team):
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    text = "Stuur de getekende begroting van het schoolbestuur mee."
    client.force_login(team["officer"])
    data = {"funder": team["funder"].slug, "action": "request_info", "message": text}
    response = client.post(
        reverse("workbench:bulk"), {**data, "applications": [application.pk], "due_date": "2026-02-31"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert text in page  # what the officer typed is still there
    assert "Voer een geldige datum in." in page
    assert f'value="{application.pk}" form="bulk-form" id="select-{application.pk}" checked' in page
    response = client.post(reverse("workbench:bulk"), data)
    assert "Vink ten minste één aanvraag in de lijst aan." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_audit_page_filters_and_streams_csv(client, team):
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    client.force_login(team["officer"])
    act(client, application, "ineligible", {"reasons": '=HYPERLINK("x")'})
    response = client.get(reverse("workbench:audit"), {"action": "declare_ineligible"})
    assert [e.action for e in response.context["page"].object_list] == ["declare_ineligible"]
    response = client.get(reverse("workbench:audit_export"), {"application": application.reference})
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    assert "declare_ineligible" in text
    assert application.reference in text
    assert "'=HYPERLINK" in text  # spreadsheet formulas are defused
    detail = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    assert "<td>Niet-ontvankelijk verklaard</td>" in detail  # the application page shows its audit trail


def test_the_audit_trail_names_actions_and_states_instead_of_printing_codes(client, team):
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    actions.application_request_info(application=application, actor=team["officer"], message="Stuur de begroting mee.")
    review = ReviewFactory(application=application, reviewer=team["reviewer"], assigned_by=team["officer"])
    actions.review_declare_no_conflict(review=review, actor=team["reviewer"])
    record_event(application, actor=None, action="legacy_import", from_state="old_state", to_state="submitted")
    client.force_login(team["officer"])
    pages = [
        client.get(reverse("workbench:application", args=[application.pk])),
        client.get(reverse("workbench:audit"), {"funder": team["funder"].slug}),
    ]
    client.force_login(team["reviewer"])
    pages.append(client.get(reverse("workbench:review", args=[review.pk])))  # the review's own history only
    for response in pages:
        body = response.content.decode()
        for code in ("request_info", "submitted", "info_requested", "declare_no_conflict", "no_conflict"):
            assert f"<td>{code}</td>" not in body, (response.request["PATH_INFO"], code)
        # What was done, from which state, to which: "Geen belangenconflict verklaard" is both the act and the state.
        declared = "<td>Geen belangenconflict verklaard</td>"
        assert f"{declared}<td>Toegewezen</td>{declared}" in body
    for response in pages[:2]:
        body = response.content.decode()
        assert "<td>Informatie opgevraagd</td><td>Ingediend</td><td>Informatie opgevraagd</td>" in body
        assert "<td>Legacy import</td><td>Old state</td><td>Ingediend</td>" in body  # unknown: readable, no error


def test_the_audit_log_filters_on_a_chosen_action_and_old_bookmarks_still_work(client, team):
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    actions.application_request_info(application=application, actor=team["officer"], message="Stuur de begroting mee.")
    record_event(application, actor=None, action="legacy_import")
    client.force_login(team["officer"])
    url = reverse("workbench:audit")
    response = client.get(url, {"funder": team["funder"].slug})
    choices = dict(response.context["form"].fields["action"].choices)
    assert choices["request_info"] == "Informatie opgevraagd"  # a list of labels, not a box for a code
    assert choices["assign_reviewer"] == "Beoordelaar toegewezen"
    assert {"submit", "take_decision", "letter_sent", "attachment.added"} <= set(choices)
    assert '<option value="request_info">Informatie opgevraagd</option>' in response.content.decode()
    for bookmarked, expected in [("request_info", "request_info"), (" request_info ", "request_info")]:
        response = client.get(url, {"action": bookmarked})
        assert not response.context["form"].errors
        assert [e.action for e in response.context["page"].object_list] == [expected]
    response = client.get(url, {"action": "legacy_import"})  # a code of an older version, typed in a bookmark
    assert [e.action for e in response.context["page"].object_list] == ["legacy_import"]
    csv_text = b"".join(client.get(reverse("workbench:audit_export"), {"action": "request_info"}).streaming_content)
    header, row = list(csv.reader(csv_text.decode().splitlines()))
    assert header[2:5] == ["action", "from", "to"]  # codes for machines, labels beside them
    assert row[2:5] == ["request_info", "submitted", "info_requested"]
    assert row[-3:] == ["Informatie opgevraagd", "Ingediend", "Informatie opgevraagd"]


def test_an_e_mail_address_that_reads_as_a_formula_is_text_in_the_audit_csv(client, team):
    application = ApplicationFactory(scheme=team["scheme"])
    contact = application.team.contact
    contact.email = "=cmd|'/Ccalc'!A0@example.nl"  # a valid address a team member may register with
    contact.save(update_fields=["email"])
    actions.application_submit(application=application, actor=contact)
    client.force_login(team["officer"])
    response = client.get(reverse("workbench:audit_export"), {"funder": team["funder"].slug})
    rows = list(csv.reader(b"".join(response.streaming_content).decode().splitlines()))
    submitted = next(row for row in rows if row[2] == "submit")
    assert submitted[1] == "'=cmd|'/Ccalc'!A0@example.nl"


def test_a_settled_file_is_closed_from_the_workbench_only_once_money_and_objection_period_are_done(
    client, team, time_machine
):
    from finance.models import Payment
    from grants.models import Decision
    from tests.finance.conftest import make_payment
    from workflow.states import DecisionKind

    time_machine.move_to(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False)
    application = ApplicationFactory(scheme=team["scheme"], settled=True)
    Decision.objects.create(
        application=application,
        kind=DecisionKind.SETTLEMENT,
        status=DecisionStatus.TAKEN,
        prepared_by=team["officer"],
        letter_date=datetime.date(2026, 11, 2),
    )
    remainder = make_payment(application, kind="remainder", status="approved", amount="1500.00")
    client.force_login(team["officer"])
    page = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    assert "Dossier sluiten" in page
    response = act(client, application, "close")
    shown = [str(m) for m in response.wsgi_request._messages]
    assert (
        "Er staat nog één betaling open (te betalen of te ontvangen); sluit het dossier als die is afgerond." in shown
    )
    assert (
        "Tegen de vaststelling kan bezwaar worden gemaakt tot en met 14 december 2026; sluit het dossier daarna."
        in shown
    )
    Payment.objects.filter(pk=remainder.pk).update(status="paid")
    time_machine.move_to(datetime.datetime(2026, 12, 15, 10, tzinfo=datetime.UTC), tick=False)
    client.force_login(team["officer"])  # six weeks on: a new session
    response = act(client, application, "close")
    assert [str(m) for m in response.wsgi_request._messages][-1] == "Het dossier is gesloten."
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CLOSED
    assert AuditEvent.objects.filter(application=application, action="close", actor=team["officer"]).exists()


def test_a_settled_file_whose_objection_was_decided_closes_without_waiting_for_the_six_weeks(team, time_machine):
    from grants.models import Decision, Objection
    from workflow.states import DecisionKind, ObjectionStatus

    time_machine.move_to(datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), tick=False)
    application = ApplicationFactory(scheme=team["scheme"], settled=True)
    settlement = Decision.objects.create(
        application=application,
        kind=DecisionKind.SETTLEMENT,
        status=DecisionStatus.TAKEN,
        prepared_by=team["officer"],
        letter_date=datetime.date(2026, 11, 2),
    )
    Objection.objects.create(
        application=application,
        decision=settlement,
        grounds="Oneens",
        submitted_by=application.team.contact,
        due_date=datetime.date(2026, 12, 14),
        status=ObjectionStatus.UPHELD,  # decided: the way on is appeal, not a second objection
    )
    actions.application_close(application=application, actor=team["officer"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CLOSED


def test_the_award_amount_is_shown_and_typed_the_dutch_way(client, team):
    application = ApplicationFactory(scheme=team["scheme"], cofunding_check=True, amount=Decimal("10000.00"))
    client.force_login(team["officer"])
    page = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    assert 'value="10.000,00"' in page  # the requested amount as default, not "10000.00"
    data = {"kind": "award", "amount": "8.000", "conditions": "Eindverslag binnen 8 weken"}
    assert act(client, application, "prepare_decision", data).status_code == 302
    assert application.decisions.get(status=DecisionStatus.PREPARED).amount == Decimal("8000.00")


def test_the_answer_term_is_filled_in_as_the_date_picker_reads_it(client, team, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC), tick=False)
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    client.force_login(team["officer"])
    page = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    # 14 days on; <input type=date> drops "14-12-2026", which left the required field empty.
    assert 'name="due_date" value="2026-12-14"' in page


def test_the_reviewer_reads_the_weight_of_a_criterion_the_dutch_way(client, team):
    application = ApplicationFactory(scheme=team["scheme"], in_review=True)
    review = ReviewFactory(application=application, reviewer=team["reviewer"], assigned_by=team["officer"])
    actions.review_declare_no_conflict(review=review, actor=team["reviewer"])
    client.force_login(team["reviewer"])
    page = client.get(reverse("workbench:review", args=[review.pk])).content.decode()
    assert "weging 2,00" in page
    assert "weging 2.00" not in page


def test_the_audit_trail_dates_read_as_dutch_dates(client, team, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 30, 13, 5, tzinfo=datetime.UTC), tick=False)
    application = ApplicationFactory(scheme=team["scheme"], submitted=True)
    actions.application_request_info(application=application, actor=team["officer"], message="Stuur de begroting mee.")
    client.force_login(team["officer"])
    for url in (reverse("workbench:application", args=[application.pk]), reverse("workbench:audit")):
        page = client.get(url, {"funder": team["funder"].slug}).content.decode()
        assert "<td>30 november 2026 14:05</td>" in page, url
        assert "30 Nov 2026" not in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_audit_filter_offers_every_action_under_a_name_of_its_own(language):
    """Two actions under one name ("Bezwaar maken" twice) cannot be told apart in the filter."""
    from collections import Counter

    from django.utils import translation

    from workflow.labels import audit_action_choices

    with translation.override(language):
        names = Counter(label for _code, label in audit_action_choices())
    assert [name for name, count in names.items() if count > 1] == []
