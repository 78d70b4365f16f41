"""The Awb terms, walked day by day with time-machine: decision term, information term,
objection window, extension window, report due dates, settlement without a report."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation

from grants.models import AuditEvent, Decision, Report
from tests.factories import ApplicationFactory, DecisionFactory, SchemeFactory, force_status, staff
from tests.workflow.audit_checks import assert_replaced_with_an_audit_event
from workflow import deadlines
from workflow.actions import (
    application_answer_information_request,
    application_extend_term,
    application_lapse,
    application_object,
    application_request_extension,
    application_request_info,
    application_settle_without_report,
    application_start,
    application_submit,
    extension_decide,
    extension_prepare,
    objection_decide,
    objection_extend_term,
)
from workflow.exceptions import ActionRefused, PermissionRefused
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus, ObjectionStatus, Role

pytestmark = pytest.mark.django_db
S = ApplicationStatus
AMS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched on their English msgids, whatever the catalogues translate."""
    with translation.override("en"):
        yield


def at(day: datetime.date, hour: int = 10):
    """Travel to `day` at `hour` Amsterdam time (winter time in the dates used here)."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=AMS), tick=False)


def taken_decision(application, kind, letter_date, **fields):
    return DecisionFactory(
        application=application,
        kind=kind,
        status=DecisionStatus.TAKEN,
        letter_date=letter_date,
        decided_at=timezone.now(),
        **fields,
    )


# --- Decision term -----------------------------------------------------------------------------


def test_decision_term_runs_from_submission_pauses_for_information_and_extends_once():
    day0 = datetime.date(2026, 1, 5)
    with at(day0):
        application = ApplicationFactory()
        officer = staff(application.scheme.funder, Role.OFFICER)
        application_submit(application=application, actor=application.team.contact)
        application.refresh_from_db()
        assert application.decision_due_date == day0 + datetime.timedelta(weeks=8)
        assert application.decision_days_left == 56

    with at(day0 + datetime.timedelta(days=10)):
        application_request_info(application=application, actor=officer, message="Begroting ontbreekt")
        application.refresh_from_db()
        assert application.decision_days_left == 46

    # Paused: a week later the days left have not moved.
    with at(day0 + datetime.timedelta(days=17)):
        application.refresh_from_db()
        assert application.decision_days_left == 46
        application_answer_information_request(application=application, actor=application.team.contact, answer="Hier")
        application.refresh_from_db()
        assert application.term_paused_on is None
        assert application.decision_due_date == day0 + datetime.timedelta(weeks=8, days=7)
        assert application.decision_days_left == 46

    with at(day0 + datetime.timedelta(days=20)):
        application_extend_term(application=application, actor=officer, weeks=4, reasons="Commissie vergadert later")
        application.refresh_from_db()
        assert application.decision_due_date == day0 + datetime.timedelta(weeks=12, days=7)
        assert application.decision_days_left == 43 + 28
        letter = application.decisions.get(kind=DecisionKind.TERM_EXTENSION)
        assert letter.due_date == application.decision_due_date
        assert letter.letters.count() == 1
        with pytest.raises(ActionRefused, match="already been extended once"):
            application_extend_term(application=application, actor=officer, weeks=1, reasons="Nog eens")


def test_decision_term_can_be_extended_on_its_last_day_but_not_after():
    day0 = datetime.date(2026, 1, 5)
    with at(day0):
        first = ApplicationFactory(submitted=True)
        second = ApplicationFactory(submitted=True, scheme=first.scheme)
        officer = staff(first.scheme.funder, Role.OFFICER)
        due = first.decision_due_date
    with at(due):
        application_extend_term(application=first, actor=officer, weeks=2, reasons="Laatste dag")
    with at(due + datetime.timedelta(days=1)):
        with pytest.raises(ActionRefused, match="already run out"):
            application_extend_term(application=second, actor=officer, weeks=2, reasons="Te laat")
        second.refresh_from_db()
        assert second.term_extended_on is None
        assert list(deadlines.decisions_overdue()) == [second]


# --- Information term ---------------------------------------------------------------------------


def test_information_term_lapse_puts_the_application_on_the_set_aside_list():
    day0 = datetime.date(2026, 2, 2)
    with at(day0):
        application = ApplicationFactory(submitted=True)
        officer = staff(application.scheme.funder, Role.OFFICER)
        request = application_request_info(application=application, actor=officer, message="Handtekening bestuur")
        assert request.due_date == day0 + datetime.timedelta(days=14)
    with at(request.due_date):
        assert not deadlines.applications_to_set_aside().exists()
        with pytest.raises(ActionRefused, match="runs until"):
            application_lapse(application=application, actor=officer)
    with at(request.due_date + datetime.timedelta(days=1)):
        funder_ids = [application.scheme.funder_id]
        assert list(deadlines.applications_to_set_aside(funder_ids=funder_ids)) == [application]
        assert not deadlines.applications_to_set_aside(funder_ids=[funder_ids[0] + 999]).exists()
        application_lapse(application=application, actor=officer)
        application.refresh_from_db()
        assert application.status == S.NOT_CONSIDERED
        decision = application.decisions.get(kind=DecisionKind.NOT_CONSIDERED)
        assert decision.letters.count() == 1
        assert not deadlines.applications_to_set_aside().exists()


def test_an_answered_request_never_lapses():
    day0 = datetime.date(2026, 2, 2)
    with at(day0):
        application = ApplicationFactory(submitted=True)
        officer = staff(application.scheme.funder, Role.OFFICER)
        application_request_info(application=application, actor=officer, message="Handtekening")
        application_answer_information_request(application=application, actor=application.team.contact, answer="Ja")
    with at(day0 + datetime.timedelta(days=30)):
        assert not deadlines.applications_to_set_aside().exists()


# --- Reports ------------------------------------------------------------------------------------------


def test_starting_a_project_schedules_the_schemes_reports():
    with at(datetime.date(2026, 3, 2)):
        scheme = SchemeFactory(interim_report_months=6, final_report_weeks=8)
        application = ApplicationFactory(
            awarded=True,
            scheme=scheme,
            project_start=datetime.date(2026, 4, 1),
            project_end=datetime.date(2027, 3, 31),
        )
    with at(datetime.date(2026, 4, 1)):  # not before the project period begins
        application_start(application=application, actor=application.team.contact)
    reports = {report.kind: report for report in application.reports.all()}
    assert reports[Report.Kind.INTERIM].due_date == datetime.date(2026, 10, 1)
    assert reports[Report.Kind.FINAL].due_date == datetime.date(2027, 5, 26)
    assert application.audit_events.filter(action="schedule_report").count() == 2


def test_a_scheme_without_interim_report_schedules_only_the_final_one():
    with at(datetime.date(2026, 3, 2)):
        application = ApplicationFactory(awarded=True, scheme=SchemeFactory(interim_report_months=None))
        application_start(application=application, actor=application.team.contact)
    assert list(application.reports.values_list("kind", flat=True)) == [Report.Kind.FINAL]


def test_settling_without_the_final_report_only_once_it_is_overdue():
    with at(datetime.date(2026, 1, 5)):
        application = ApplicationFactory(
            active=True, project_start=datetime.date(2026, 1, 10), project_end=datetime.date(2026, 6, 30)
        )
        officer = staff(application.scheme.funder, Role.OFFICER)
        due = application.final_report_due_date
        assert due == datetime.date(2026, 8, 25)
        Report.objects.create(application=application, kind=Report.Kind.FINAL, due_date=due)
    with at(due):
        assert not deadlines.settle_without_report().exists()
        with pytest.raises(ActionRefused, match="only after its due date"):
            application_settle_without_report(
                application=application, actor=officer, amount=Decimal("0.00"), reasons="Geen verslag"
            )
    with at(due + datetime.timedelta(days=1)):
        assert list(deadlines.settle_without_report()) == [application]
        with pytest.raises(ActionRefused, match="Explain why"):
            application_settle_without_report(application=application, actor=officer, amount=Decimal("0"), reasons="")
        application_settle_without_report(
            application=application, actor=officer, amount=Decimal("0.00"), reasons="Geen eindverslag ontvangen"
        )
        application.refresh_from_db()
        assert application.status == S.SETTLED
        assert application.settled_amount == Decimal("0.00")
        settlement = application.decisions.get(kind=DecisionKind.SETTLEMENT)
        assert settlement.data["own_initiative"] is True
        assert settlement.letters.count() == 1


# --- Objection window ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("days_after_letter", "allowed"), [(0, True), (42, True), (43, False)])
def test_objection_window_is_six_weeks_from_the_letter_date(days_after_letter, allowed):
    letter_date = datetime.date(2026, 3, 2)
    with at(letter_date):
        application = ApplicationFactory(rejected=True)
        taken_decision(application, DecisionKind.REJECTION, letter_date, reasons="Te weinig innovatief")
    with at(letter_date + datetime.timedelta(days=days_after_letter)):
        application.refresh_from_db()
        assert application.is_final_decision is not allowed
        if allowed:
            objection = application_object(application=application, actor=application.team.contact, grounds="Oneens")
            # Awb 7:10: six weeks after the objection period ended (13 April), whenever it came in;
            # 25 May 2026 is Whit Monday, so the term runs on to Tuesday (Algemene termijnenwet).
            assert objection.due_date == datetime.date(2026, 5, 26)
            application.refresh_from_db()
            assert application.status == S.OBJECTION
            assert application.is_final_decision is False
        else:
            with pytest.raises(ActionRefused, match="13 April 2026"):
                application_object(application=application, actor=application.team.contact, grounds="Te laat")
            application.refresh_from_db()
            assert application.status == S.REJECTED


def test_objection_window_counts_from_the_latest_objectable_letter():
    with at(datetime.date(2026, 3, 2)):
        application = ApplicationFactory(awarded=True)
        taken_decision(application, DecisionKind.AWARD, datetime.date(2026, 1, 5))
        # A term-extension letter is no decision one can object to; it does not restart the window.
        taken_decision(application, DecisionKind.TERM_EXTENSION, datetime.date(2026, 3, 1))
        assert application.objection_deadline == datetime.date(2026, 2, 16)
        assert application.is_final_decision is True


def _rejection_objected_to(day, role):
    """A rejection with a letter of `day` that the team objects to that day; and a staff member in `role`."""
    with at(day):
        application = ApplicationFactory(rejected=True)
        member = staff(application.scheme.funder, role)
        taken_decision(application, DecisionKind.REJECTION, day)
        objection = application_object(application=application, actor=application.team.contact, grounds="Oneens")
    return application, member, objection


def test_with_an_advisory_committee_the_funder_has_twelve_weeks_to_decide_on_an_objection():
    """Awb 7:10: twelve weeks where a committee (7:13) advises, from the end of the objection period."""
    day0 = datetime.date(2026, 3, 2)
    with at(day0):
        application = ApplicationFactory(rejected=True, scheme__funder__objection_committee=True)
        taken_decision(application, DecisionKind.REJECTION, day0)
        objection = application_object(application=application, actor=application.team.contact, grounds="Oneens")
    assert objection.due_date == datetime.date(2026, 7, 6)  # 13 April + twelve weeks


def test_objection_term_is_six_weeks_and_extends_once_by_six(mailoutbox, django_capture_on_commit_callbacks):
    day0 = datetime.date(2026, 3, 2)
    application, officer, objection = _rejection_objected_to(day0, Role.OFFICER)
    assert objection.due_date == datetime.date(2026, 5, 26)  # 13 April + six weeks, past Whit Monday
    with at(day0):
        with pytest.raises(ActionRefused, match="reason"):
            objection_extend_term(objection=objection, actor=officer, reasons=" ")
        with pytest.raises(PermissionRefused):
            objection_extend_term(objection=objection, actor=application.team.contact, reasons="Zelf")
    with at(datetime.date(2026, 5, 26)), django_capture_on_commit_callbacks(execute=True):
        objection = objection_extend_term(objection=objection, actor=officer, reasons="Advies commissie volgt")
    assert objection.due_date == datetime.date(2026, 7, 7)
    assert [m.to for m in mailoutbox] == [[application.team.contact.email]]
    assert "7 juli 2026" in mailoutbox[0].subject
    with at(datetime.date(2026, 5, 27)), pytest.raises(ActionRefused, match="already been extended once"):
        objection_extend_term(objection=objection, actor=officer, reasons="Nog eens")


def test_an_objection_term_that_ran_out_cannot_be_extended():
    day0 = datetime.date(2026, 3, 2)
    _application, officer, objection = _rejection_objected_to(day0, Role.OFFICER)
    with at(objection.due_date + datetime.timedelta(days=1)), pytest.raises(ActionRefused, match="run out"):
        objection_extend_term(objection=objection, actor=officer, reasons="Te laat")


def test_an_overturned_rejection_continues_as_an_award_within_the_ceiling():
    day0 = datetime.date(2026, 3, 2)
    with at(day0):
        scheme = SchemeFactory(budget_ceiling=Decimal("30000.00"))
        ApplicationFactory(awarded=True, scheme=scheme, amount=Decimal("25000.00"))
        application = ApplicationFactory(rejected=True, scheme=scheme, amount=Decimal("10000.00"))
        decider = staff(scheme.funder, Role.DECIDER)
        taken_decision(application, DecisionKind.REJECTION, day0)
        objection = application_object(application=application, actor=application.team.contact, grounds="Oneens")
        with pytest.raises(ActionRefused, match="ceiling"):
            objection_decide(objection=objection, actor=decider, overturn=True, reasons="Terecht")
        objection_decide(objection=objection, actor=decider, overturn=True, reasons="Terecht", amount=Decimal("5000"))
    application.refresh_from_db()
    assert application.status == S.AWARDED
    assert application.awarded_amount == Decimal("5000.00")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OVERTURNED
    assert application.decisions.get(kind=DecisionKind.OBJECTION_OVERTURNED).letters.count() == 1


def test_an_upheld_objection_restores_the_decision_and_it_becomes_final():
    day0 = datetime.date(2026, 3, 2)
    application, decider, objection = _rejection_objected_to(day0, Role.DECIDER)
    with at(day0 + datetime.timedelta(days=30)):
        objection_decide(objection=objection, actor=decider, overturn=False, reasons="Ongegrond")
        application.refresh_from_db()
        assert application.status == S.REJECTED
        assert application.is_final_decision is False
    with at(day0 + datetime.timedelta(days=43)):
        application.refresh_from_db()
        assert application.is_final_decision is True


@pytest.mark.parametrize("overturn", [False, True], ids=["upheld", "overturned"])
def test_a_decided_objection_leaves_appeal_not_a_second_objection(overturn):
    """Awb: after the decision on the objection the way on is beroep at the court, even within the six weeks."""
    day0 = datetime.date(2026, 3, 2)
    application, decider, objection = _rejection_objected_to(day0, Role.DECIDER)
    with at(day0 + datetime.timedelta(days=20)):
        objection_decide(
            objection=objection, actor=decider, overturn=overturn, reasons="Besloten", amount=Decimal("5000")
        )
        application.refresh_from_db()
        status = application.status
        with pytest.raises(ActionRefused, match="decided; you can appeal to the court"):
            application_object(application=application, actor=application.team.contact, grounds="Nog steeds oneens")
    application.refresh_from_db()
    assert application.status == status
    assert application.objections.count() == 1


def test_an_award_overturned_on_objection_stays_an_award_with_a_higher_amount_within_the_ceiling():
    """No reformatio in peius: the team objected to its own award to get more, never a rejection."""
    day0 = datetime.date(2026, 3, 2)
    with at(day0):
        scheme = SchemeFactory(budget_ceiling=Decimal("30000.00"))
        ApplicationFactory(awarded=True, scheme=scheme, amount=Decimal("21000.00"))
        application = ApplicationFactory(awarded=True, scheme=scheme, amount=Decimal("10000.00"))
        type(application).objects.filter(pk=application.pk).update(awarded_amount=Decimal("8000.00"))
        decider = staff(scheme.funder, Role.DECIDER)
        taken_decision(application, DecisionKind.AWARD, day0, amount=Decimal("8000.00"))
        objection = application_object(application=application, actor=application.team.contact, grounds="Te weinig")

        def overturn(amount):
            objection_decide(objection=objection, actor=decider, overturn=True, reasons="Terecht", amount=amount)

        with pytest.raises(ActionRefused, match="Enter the new amount"):
            overturn(None)
        with pytest.raises(ActionRefused, match=r"more than the current award of €8,000\.00"):
            overturn(Decimal("8000.00"))
        with pytest.raises(ActionRefused, match=r"more than the requested amount of €10,000\.00"):
            overturn(Decimal("10000.01"))
        with pytest.raises(ActionRefused, match="ceiling"):  # 21,000 + 8,000 awarded: 1,000 left for the raise
            overturn(Decimal("9000.01"))
        application.refresh_from_db()
        assert (application.status, application.awarded_amount) == (S.OBJECTION, Decimal("8000.00"))
        overturn(Decimal("9000.00"))
    application.refresh_from_db()
    assert application.status == S.AWARDED
    assert application.awarded_amount == Decimal("9000.00")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OVERTURNED
    decision = application.decisions.get(kind=DecisionKind.OBJECTION_OVERTURNED)
    assert decision.amount == Decimal("9000.00")
    event = AuditEvent.objects.get(application=application, action="overturn")
    assert (event.from_state, event.to_state) == (S.OBJECTION, S.AWARDED)


# --- Extension --------------------------------------------------------------------------------------------


def _running_project(day, **kwargs):
    scheme = SchemeFactory(interim_report_months=None, final_report_weeks=8, max_extension_months=6, **kwargs)
    application = ApplicationFactory(
        awarded=True,
        scheme=scheme,
        project_start=day,
        project_end=datetime.date(2026, 6, 30),
    )
    application_start(application=application, actor=application.team.contact)
    application.refresh_from_db()
    return application


def test_extension_is_possible_until_the_end_date_and_not_after():
    with at(datetime.date(2026, 1, 5)):
        on_time = _running_project(datetime.date(2026, 1, 5))
        late = _running_project(datetime.date(2026, 1, 5))
    with at(datetime.date(2026, 6, 30)):
        application_request_extension(
            application=on_time,
            actor=on_time.team.contact,
            motivation="Succesvol, tweede school wil meedoen",
            new_end_date=datetime.date(2026, 12, 30),
        )
    with at(datetime.date(2026, 7, 1)), pytest.raises(ActionRefused, match="before the end date"):
        application_request_extension(
            application=late, actor=late.team.contact, motivation="Te laat", new_end_date=datetime.date(2026, 12, 30)
        )


def test_extension_beyond_the_schemes_limit_is_refused():
    with at(datetime.date(2026, 1, 5)):
        application = _running_project(datetime.date(2026, 1, 5))
        with pytest.raises(ActionRefused, match="at most 6 months"):
            application_request_extension(
                application=application,
                actor=application.team.contact,
                motivation="Lang",
                new_end_date=datetime.date(2027, 1, 1),
            )


def test_extension_four_eyes_moves_the_report_dates_and_happens_only_once():
    with at(datetime.date(2026, 1, 5)):
        application = _running_project(datetime.date(2026, 1, 5))
        officer = staff(application.scheme.funder, Role.OFFICER)
        decider = staff(application.scheme.funder, Role.DECIDER)
        officer_and_decider = staff(application.scheme.funder, Role.OFFICER)
        staff(application.scheme.funder, Role.DECIDER, email=officer_and_decider.email)
        final = application.reports.get(kind=Report.Kind.FINAL)
        assert final.due_date == datetime.date(2026, 8, 25)
    with at(datetime.date(2026, 5, 4)):
        extension = application_request_extension(
            application=application,
            actor=application.team.contact,
            motivation="Succesvol",
            new_end_date=datetime.date(2026, 12, 30),
            extra_amount=Decimal("2000.00"),
        )
        with pytest.raises(ActionRefused, match="prepare"):
            extension_decide(extension=extension, actor=decider, grant=True)
        extension_prepare(extension=extension, actor=officer_and_decider, recommend_grant=True, reasons="Goed plan")
        with pytest.raises(PermissionRefused, match="four eyes"):
            extension_decide(extension=extension, actor=officer_and_decider, grant=True)
        extension_decide(extension=extension, actor=decider, grant=True)
    application.refresh_from_db()
    assert application.status == S.ACTIVE
    assert application.project_end == datetime.date(2026, 12, 30)
    assert application.awarded_amount == Decimal("12000.00")
    final.refresh_from_db()
    assert final.due_date == datetime.date(2027, 2, 24)
    decision = application.decisions.get(kind=DecisionKind.EXTENSION_GRANTED)
    assert (decision.prepared_by, decision.decided_by) == (officer_and_decider, decider)
    assert decision.letters.count() == 1
    assert not Decision.objects.filter(status=DecisionStatus.PREPARED).exists()
    with at(datetime.date(2026, 6, 1)), pytest.raises(ActionRefused, match="only once"):
        application_request_extension(
            application=application,
            actor=application.team.contact,
            motivation="Nog een keer",
            new_end_date=datetime.date(2027, 2, 1),
        )
    assert officer  # an officer-only user cannot decide at all:
    with at(datetime.date(2026, 6, 1)), pytest.raises(PermissionRefused):
        extension_decide(extension=extension, actor=officer, grant=False, reasons="x")


def test_extension_extra_budget_must_fit_the_ceiling():
    with at(datetime.date(2026, 1, 5)):
        application = _running_project(datetime.date(2026, 1, 5), budget_ceiling=Decimal("11000.00"))
        officer = staff(application.scheme.funder, Role.OFFICER)
        decider = staff(application.scheme.funder, Role.DECIDER)
        extension = application_request_extension(
            application=application,
            actor=application.team.contact,
            motivation="Meer scholen",
            new_end_date=datetime.date(2026, 9, 30),
            extra_amount=Decimal("2000.00"),
        )
        extension_prepare(extension=extension, actor=officer, recommend_grant=True, reasons="Ja")
        with pytest.raises(ActionRefused, match="ceiling"):
            extension_decide(extension=extension, actor=decider, grant=True)
        # The decider may deviate from the recommendation: refusing replaces the prepared decision.
        extension_decide(extension=extension, actor=decider, grant=False, reasons="Plafond bereikt")
    application.refresh_from_db()
    assert application.project_end == datetime.date(2026, 6, 30)
    kinds = dict(application.decisions.values_list("kind", "status"))
    assert kinds == {
        DecisionKind.EXTENSION_GRANTED: DecisionStatus.CANCELLED,
        DecisionKind.EXTENSION_DENIED: DecisionStatus.TAKEN,
    }
    # The replaced recommendation is cancelled in the audit log, by the decider who deviated.
    cancelled = AuditEvent.objects.get(application=application, action="cancel_decision")
    assert cancelled.subject_id == application.decisions.get(kind=DecisionKind.EXTENSION_GRANTED).pk
    assert (cancelled.actor, cancelled.from_state, cancelled.to_state) == (decider, "prepared", "cancelled")
    assert cancelled.data == {"kind": DecisionKind.EXTENSION_GRANTED, "why": "deviated"}
    assert application.reports.get(kind=Report.Kind.FINAL).due_date == datetime.date(2026, 8, 25)


def test_extension_extra_budget_stays_within_the_maximum_per_application():
    with at(datetime.date(2026, 1, 5)):
        application = _running_project(datetime.date(2026, 1, 5), max_per_application=Decimal("11000.00"))
        assert application.awarded_amount == Decimal("10000.00")
        with pytest.raises(ActionRefused) as refused:
            application_request_extension(
                application=application,
                actor=application.team.contact,
                motivation="Meer scholen",
                new_end_date=datetime.date(2026, 9, 30),
                extra_amount=Decimal("2000.00"),
            )
        assert refused.value.messages == [
            "With the extra budget the grant would be €12,000.00, more than the scheme's maximum of "
            "€11,000.00 per application; at most €1,000.00 extra is possible."
        ]
        application_request_extension(
            application=application,
            actor=application.team.contact,
            motivation="Meer scholen",
            new_end_date=datetime.date(2026, 9, 30),
            extra_amount=Decimal("1000.00"),
        )


def test_a_new_extension_recommendation_cancels_the_earlier_one_with_an_audit_event():
    with at(datetime.date(2026, 1, 5)):
        application = _running_project(datetime.date(2026, 1, 5))
        officer = staff(application.scheme.funder, Role.OFFICER)
        extension = application_request_extension(
            application=application,
            actor=application.team.contact,
            motivation="Meer scholen",
            new_end_date=datetime.date(2026, 9, 30),
        )
        first = extension_prepare(extension=extension, actor=officer, recommend_grant=True, reasons="Ja")
        second = extension_prepare(extension=extension, actor=officer, recommend_grant=False, reasons="Toch niet")
    assert_replaced_with_an_audit_event(first, second, actor=officer, kind=DecisionKind.EXTENSION_GRANTED)


def test_force_status_helper_still_places_active_projects():
    application = ApplicationFactory(active=True)
    force_status(application, S.ACTIVE)
    assert deadlines.final_report_overdue(application) is False


# --- Objection against the decision on the extension: the project runs on ----------------------------
def _extension_refused(day, *, extra_amount=Decimal("0.00"), **scheme_fields):
    """A running project (end 30 June 2026) whose extension to 30 December was refused on `day`."""
    with at(datetime.date(2026, 1, 5)):
        application = _running_project(datetime.date(2026, 1, 5), **scheme_fields)
        officer = staff(application.scheme.funder, Role.OFFICER)
        decider = staff(application.scheme.funder, Role.DECIDER)
    with at(day):
        extension = application_request_extension(
            application=application,
            actor=application.team.contact,
            motivation="Succesvol, tweede school wil meedoen",
            new_end_date=datetime.date(2026, 12, 30),
            extra_amount=extra_amount,
        )
        extension_prepare(extension=extension, actor=officer, recommend_grant=False, reasons="Niet onderbouwd")
        extension_decide(extension=extension, actor=decider, grant=False)
    application.refresh_from_db()
    return application, decider


def test_the_team_objects_to_an_extension_refusal_while_the_project_runs_and_overturned_it_is_granted():
    day0 = datetime.date(2026, 5, 4)
    application, decider = _extension_refused(day0, extra_amount=Decimal("2000.00"))
    assert application.status == S.ACTIVE
    with at(day0 + datetime.timedelta(days=20)):
        objection = application_object(
            application=application, actor=application.team.contact, grounds="Wel onderbouwd"
        )
        with pytest.raises(ActionRefused, match="open already"):
            application_object(application=application, actor=application.team.contact, grounds="Nog eens")
    application.refresh_from_db()
    assert application.status == S.ACTIVE  # the project runs on: reports, final report as before
    assert objection.decision.kind == DecisionKind.EXTENSION_DENIED
    assert objection.due_date == datetime.date(2026, 7, 27)  # the period ends 15 June, then six weeks (Awb 7:10)
    event = AuditEvent.objects.get(application=application, action="object_during_project")
    assert (event.actor, event.from_state, event.to_state) == (application.team.contact, S.ACTIVE, S.ACTIVE)
    with at(day0 + datetime.timedelta(days=40)):
        objection_decide(objection=objection, actor=decider, overturn=True, reasons="Alsnog verlengd")
    application.refresh_from_db()
    objection.refresh_from_db()
    assert application.status == S.ACTIVE
    assert objection.status == ObjectionStatus.OVERTURNED
    assert application.project_end == datetime.date(2026, 12, 30)
    assert application.awarded_amount == Decimal("12000.00")
    assert application.extension.status == "granted"
    assert application.reports.get(kind=Report.Kind.FINAL).due_date == datetime.date(2027, 2, 24)
    decision = application.decisions.get(kind=DecisionKind.OBJECTION_OVERTURNED)
    assert decision.data["overturn"]["new_end_date"] == "2026-12-30"
    assert decision.data["overturn"]["previous_end_date"] == "2026-06-30"
    assert decision.letters.count() == 1
    event = AuditEvent.objects.get(application=application, action="overturn_during_project")
    assert (event.actor, event.reason) == (decider, "Alsnog verlengd")


def test_an_upheld_objection_against_an_extension_refusal_changes_nothing_and_an_overturn_keeps_the_ceiling():
    day0 = datetime.date(2026, 5, 4)
    application, decider = _extension_refused(day0, extra_amount=Decimal("2000.00"), budget_ceiling=Decimal("11000.00"))
    with at(day0 + datetime.timedelta(days=10)):
        objection = application_object(application=application, actor=application.team.contact, grounds="Oneens")
        with pytest.raises(ActionRefused, match="ceiling"):
            objection_decide(objection=objection, actor=decider, overturn=True, reasons="Alsnog")
        objection_decide(objection=objection, actor=decider, overturn=False, reasons="Ongegrond")
        with pytest.raises(ActionRefused, match="appeal to the court"):
            application_object(application=application, actor=application.team.contact, grounds="Nog steeds")
    application.refresh_from_db()
    assert (application.status, application.project_end) == (S.ACTIVE, datetime.date(2026, 6, 30))
    assert application.awarded_amount == Decimal("10000.00")
    assert application.objections.get().status == ObjectionStatus.UPHELD
    assert application.decisions.filter(kind=DecisionKind.OBJECTION_UPHELD).count() == 1


def test_while_the_project_runs_a_decision_is_objected_to_within_six_weeks_only():
    day0 = datetime.date(2026, 5, 4)
    application, _ = _extension_refused(day0)
    with at(day0 + datetime.timedelta(days=43)), pytest.raises(ActionRefused, match="period"):
        application_object(application=application, actor=application.team.contact, grounds="Te laat")


def _started_after_a_lower_award(day, **scheme_fields):
    """A project started on `day`, the day of its award letter: 8,000 of the 10,000 asked, 6,400 advance paid."""
    from tests.finance.conftest import make_payment

    application = _running_project(day, **scheme_fields)
    type(application).objects.filter(pk=application.pk).update(awarded_amount=Decimal("8000.00"))
    application.refresh_from_db()
    taken_decision(application, DecisionKind.AWARD, day, amount=Decimal("8000.00"))
    advance = make_payment(application, status="paid", amount="6400.00")
    return application, advance, staff(application.scheme.funder, Role.DECIDER)


def test_starting_the_project_keeps_the_right_to_object_to_the_award_and_a_raise_leaves_it_running():
    """Awb 6:7 gives six weeks whatever the team did meanwhile: the award of a started project is
    objected to while the project runs, and a higher award adds the missing advance."""
    from finance.models import Payment
    from grants.portal.pages import team_actions

    day0 = datetime.date(2026, 1, 6)
    with at(day0):
        application, advance, decider = _started_after_a_lower_award(day0, budget_ceiling=Decimal("30000.00"))
    with at(day0 + datetime.timedelta(days=20)):
        assert application.status == S.ACTIVE
        assert team_actions(application)["object"].refusals == []
        objection = application_object(application=application, actor=application.team.contact, grounds="Te weinig")
        with pytest.raises(ActionRefused, match="Enter the new amount"):
            objection_decide(objection=objection, actor=decider, overturn=True, reasons="Terecht")
        with pytest.raises(ActionRefused, match="more than the requested amount"):
            objection_decide(
                objection=objection, actor=decider, overturn=True, reasons="Terecht", amount=Decimal("10000.01")
            )
        objection_decide(
            objection=objection, actor=decider, overturn=True, reasons="Terecht", amount=Decimal("9000.00")
        )
    application.refresh_from_db()
    objection.refresh_from_db()
    assert objection.decision.kind == DecisionKind.AWARD
    assert objection.status == ObjectionStatus.OVERTURNED
    assert (application.status, application.awarded_amount) == (S.ACTIVE, Decimal("9000.00"))
    lodged = AuditEvent.objects.get(application=application, action="object_during_project")
    assert (lodged.actor, lodged.from_state, lodged.to_state) == (application.team.contact, S.ACTIVE, S.ACTIVE)
    decided = AuditEvent.objects.get(application=application, action="overturn_during_project")
    assert (decided.actor, decided.to_state) == (decider, S.ACTIVE)
    extra = Payment.objects.exclude(pk=advance.pk).get(application=application)
    assert (extra.kind, extra.amount, extra.status) == ("advance", Decimal("800.00"), "scheduled")  # 80 % of 9,000
    decision = application.decisions.get(kind=DecisionKind.OBJECTION_OVERTURNED)
    assert decision.data["overturn"]["from"] == S.AWARDED
    assert (decision.data["overturn"]["previous_amount"], decision.data["overturn"]["amount"]) == ("8000.00", "9000.00")
    assert decision.letters.count() == 1


def test_an_objection_to_a_started_projects_award_upheld_changes_nothing_and_a_raise_keeps_the_ceiling():
    day0 = datetime.date(2026, 1, 6)
    with at(day0):
        application, _advance, decider = _started_after_a_lower_award(day0, budget_ceiling=Decimal("8500.00"))
    with at(day0 + datetime.timedelta(days=41)):
        objection = application_object(application=application, actor=application.team.contact, grounds="Te weinig")
        with pytest.raises(ActionRefused, match="ceiling"):
            objection_decide(objection=objection, actor=decider, overturn=True, reasons="x", amount=Decimal("9000.00"))
        objection_decide(objection=objection, actor=decider, overturn=False, reasons="Het plafond is bereikt")
        with pytest.raises(ActionRefused, match="appeal to the court"):
            application_object(application=application, actor=application.team.contact, grounds="Nog steeds")
    application.refresh_from_db()
    assert (application.status, application.awarded_amount) == (S.ACTIVE, Decimal("8000.00"))
    assert application.payments.count() == 1
    assert application.decisions.get(kind=DecisionKind.OBJECTION_UPHELD).letters.count() == 1


def test_an_officer_registers_a_posted_objection_against_an_extension_refusal_and_the_team_cannot_add_one():
    day0 = datetime.date(2026, 5, 4)
    application, _ = _extension_refused(day0)
    officer = staff(application.scheme.funder, Role.OFFICER)
    with at(day0 + datetime.timedelta(days=44)):  # period ended on 15 June (day 42); received on day 40
        objection = application_object(
            application=application,
            actor=officer,
            grounds="Per brief",
            received_on=day0 + datetime.timedelta(days=40),
            objector="Het lerarenteam",
        )
        with pytest.raises(ActionRefused, match="open already"):
            application_object(application=application, actor=officer, grounds="x", received_on=day0, objector="y")
        with pytest.raises(PermissionRefused):
            application_object(application=application, actor=application.team.contact, grounds="x", received_on=day0)
    application.refresh_from_db()
    assert application.status == S.ACTIVE
    assert objection.due_date == datetime.date(2026, 7, 27)  # from the end of the period, not from receipt
    assert AuditEvent.objects.get(application=application, action="object_during_project").actor == officer
