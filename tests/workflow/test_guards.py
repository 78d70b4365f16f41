"""Each guard and permission refuses with a message that says why, and changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from grants.models import Application, AuditEvent, Decision, Extension, InformationRequest, Objection
from tests.factories import (
    ApplicationFactory,
    DecisionFactory,
    OrganisationFactory,
    ReviewFactory,
    SchemeFactory,
    SchoolFactory,
    TeamFactory,
    force_status,
    staff,
)
from tests.workflow.audit_checks import assert_replaced_with_an_audit_event
from workflow import actions
from workflow.exceptions import ActionRefused, PermissionRefused
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus, Role

S = ApplicationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refused(call, application) -> list[str]:
    """Run `call`, expect a refusal, check nothing changed; return the messages."""
    status = Application.objects.get(pk=application.pk).status
    events = AuditEvent.objects.filter(application=application).count()
    with pytest.raises(ActionRefused) as info:
        call()
    assert Application.objects.get(pk=application.pk).status == status
    assert AuditEvent.objects.filter(application=application).count() == events
    return info.value.messages


def officer_of(application):
    return staff(application.scheme.funder, Role.OFFICER)


def decider_of(application):
    return staff(application.scheme.funder, Role.DECIDER)


# --- submit -------------------------------------------------------------------------------
def test_submit_refused_when_the_scheme_is_closed():
    today = timezone.localdate()
    scheme = SchemeFactory(opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1))
    application = ApplicationFactory(scheme=scheme)
    messages = refused(
        lambda: actions.application_submit(application=application, actor=application.team.contact), application
    )
    assert any("accepts applications from" in m and scheme.name in m for m in messages), messages


def test_submit_refused_lists_everything_that_is_missing():
    application = ApplicationFactory(complete=False, title="", summary="")
    messages = refused(
        lambda: actions.application_submit(application=application, actor=application.team.contact), application
    )
    assert "Title is required." in messages
    assert "Summary is required." in messages
    assert "Add at least one participating school." in messages
    assert "Add at least one budget line." in messages
    assert "Goals is required." not in messages


def test_submit_refused_above_the_scheme_maximum():
    application = ApplicationFactory(amount=Decimal("30000.00"))
    messages = refused(
        lambda: actions.application_submit(application=application, actor=application.team.contact), application
    )
    assert any("above the scheme's maximum" in m for m in messages), messages


def test_submit_refused_for_an_ineligible_school_type():
    application = ApplicationFactory()
    application.schools.set([SchoolFactory(school_type="vo", name="Het Stedelijk Lyceum")])
    messages = refused(
        lambda: actions.application_submit(application=application, actor=application.team.contact), application
    )
    assert any("Het Stedelijk Lyceum is a" in m and "this scheme is for" in m for m in messages), messages


# --- screening and review -------------------------------------------------------------------
def test_start_review_refused_without_eligibility_and_reviewers():
    application = ApplicationFactory(submitted=True)
    messages = refused(
        lambda: actions.application_start_review(application=application, actor=officer_of(application)), application
    )
    assert "An officer has not yet confirmed that the application is eligible." in messages
    assert "No reviewers are assigned yet." in messages


def test_complete_review_refused_while_reviews_are_open_or_too_few():
    scheme = SchemeFactory(min_reviews=2)
    application = ApplicationFactory(in_review=True, scheme=scheme)
    open_review = ReviewFactory(application=application)
    messages = refused(
        lambda: actions.application_complete_review(application=application, actor=officer_of(application)),
        application,
    )
    assert f"{open_review.reviewer} has not yet submitted scores or declared a conflict." in messages
    assert "0 of the required 2 reviews have been submitted." in messages

    force_status(open_review, "submitted")
    messages = refused(
        lambda: actions.application_complete_review(application=application, actor=officer_of(application)),
        application,
    )
    assert messages == ["1 of the required 2 reviews have been submitted."]


def test_lapse_refused_until_the_information_term_has_passed(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False)
    application = ApplicationFactory(info_requested=True)
    officer = officer_of(application)
    InformationRequest.objects.create(
        application=application,
        message="De begroting ontbreekt.",
        due_date=datetime.date(2026, 3, 16),
        requested_by=officer,
    )
    time_machine.move_to(datetime.datetime(2026, 3, 16, 12, tzinfo=datetime.UTC), tick=False)
    messages = refused(lambda: actions.application_lapse(application=application, actor=officer), application)
    assert messages == ["The term for the missing information runs until 16 March 2026."]

    time_machine.move_to(datetime.datetime(2026, 3, 17, 9, tzinfo=datetime.UTC), tick=False)
    actions.application_lapse(application=application, actor=officer)
    application.refresh_from_db()
    assert application.status == S.NOT_CONSIDERED


def test_lapse_refused_without_an_open_information_request():
    application = ApplicationFactory(info_requested=True)
    messages = refused(
        lambda: actions.application_lapse(application=application, actor=officer_of(application)), application
    )
    assert messages == ["There is no open request for information."]


# --- start --------------------------------------------------------------------------------
def test_start_refused_before_the_project_period_begins_and_allowed_from_its_first_day():
    """The team clicked "start" the day the award arrived, two months before the project period:
    reports fell due and an extension was offered for a project that had not begun."""
    later = timezone.localdate() + datetime.timedelta(days=60)
    application = ApplicationFactory(
        awarded=True, project_start=later, project_end=later + datetime.timedelta(days=300)
    )
    messages = refused(
        lambda: actions.application_start(application=application, actor=application.team.contact), application
    )
    assert messages == [f"The project period starts on {later:%-d %B %Y}; you can start the project from that day."]
    assert not application.reports.exists()

    Application.objects.filter(pk=application.pk).update(project_start=timezone.localdate())
    actions.application_start(application=application, actor=application.team.contact)
    assert Application.objects.get(pk=application.pk).status == S.ACTIVE


# --- extension ----------------------------------------------------------------------------
def test_an_extension_can_be_requested_only_once():
    application = ApplicationFactory(active=True)
    Extension.objects.create(
        application=application,
        motivation="Eerder verzoek",
        new_end_date=application.project_end + datetime.timedelta(days=30),
        requested_by=application.team.contact,
        status="denied",
    )
    messages = refused(
        lambda: actions.application_request_extension(
            application=application,
            actor=application.team.contact,
            motivation="Nog een keer",
            new_end_date=application.project_end + datetime.timedelta(days=60),
        ),
        application,
    )
    assert "A project can be extended only once, and this one has been already." in messages


def test_an_extension_must_be_requested_before_the_end_date(time_machine):
    application = ApplicationFactory(active=True)
    time_machine.move_to(
        datetime.datetime.combine(
            application.project_end + datetime.timedelta(days=1), datetime.time(12), datetime.UTC
        ),
        tick=False,
    )
    messages = refused(
        lambda: actions.application_request_extension(
            application=application,
            actor=application.team.contact,
            motivation="Te laat",
            new_end_date=application.project_end + datetime.timedelta(days=60),
        ),
        application,
    )
    assert any("an extension must be requested before the end date" in m for m in messages), messages


# --- objection: six weeks from the letter's date (Awb 6:7) -----------------------------------
D = datetime.date


@pytest.mark.parametrize(
    ("letter_day", "today", "last_day"),
    [
        (D(2026, 4, 1), D(2026, 5, 13), None),  # day 42: in time
        (D(2026, 4, 1), D(2026, 5, 14), "13 May 2026"),  # day 43: too late
        # Six weeks after 13 November 2026 is Christmas Day: the Algemene termijnenwet extends the
        # period past Boxing Day and the weekend to Monday 28 December.
        (D(2026, 11, 13), D(2026, 12, 28), None),
        (D(2026, 11, 13), D(2026, 12, 29), "28 December 2026"),
    ],
)
def test_objection_period_is_six_weeks_after_the_letter(time_machine, letter_day, today, last_day):
    time_machine.move_to(datetime.datetime.combine(letter_day, datetime.time(10), datetime.UTC), tick=False)
    application = ApplicationFactory(rejected=True)
    Decision.objects.create(
        application=application,
        kind=DecisionKind.REJECTION,
        status=DecisionStatus.TAKEN,
        prepared_by=officer_of(application),
        letter_date=letter_day,
    )
    time_machine.move_to(datetime.datetime.combine(today, datetime.time(12), datetime.UTC), tick=False)

    def call():
        return actions.application_object(application=application, actor=application.team.contact, grounds="Onjuist.")

    if last_day is None:
        call()
        application.refresh_from_db()
        assert application.status == S.OBJECTION
        assert application.status_before_objection == S.REJECTED
    else:
        messages = refused(call, application)
        assert messages == [f"The objection period (six weeks after the letter's date, Awb 6:7) ended on {last_day}."]


def test_objection_refused_without_a_decision_letter():
    application = ApplicationFactory(rejected=True)
    messages = refused(
        lambda: actions.application_object(application=application, actor=application.team.contact, grounds="x"),
        application,
    )
    assert "There is no decision letter to object to." in messages


# --- four eyes and the ceiling ------------------------------------------------------------
def test_a_ranking_scheme_takes_no_award_before_its_close_date(time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC), tick=False)
    scheme = SchemeFactory(
        allocation_method="ranking", opens_on=datetime.date(2026, 3, 1), closes_on=datetime.date(2026, 6, 1)
    )
    application = ApplicationFactory(scheme=scheme, cofunding_check=True)
    force_status(application.pledges.get(), "confirmed")
    messages = refused(
        lambda: actions.decision_prepare(
            application=application, actor=officer_of(application), kind="award", amount=Decimal("5000")
        ),
        application,
    )
    assert messages == [
        f"The scheme {scheme.name} awards by ranking: no award is taken before its close date of 1 June 2026; "
        "then the ranking round compares every application."
    ]
    # A rejection on its merits is still possible, and after the close date a single award too
    # (the next in line when an awardee withdraws after the round, say).
    time_machine.move_to(datetime.datetime(2026, 6, 2, 10, tzinfo=datetime.UTC), tick=False)
    decision = actions.decision_prepare(
        application=application, actor=officer_of(application), kind="award", amount=Decimal("5000")
    )
    actions.decision_take(decision=decision, actor=decider_of(application))
    application.refresh_from_db()
    assert application.status == S.AWARDED


def test_a_first_come_scheme_rejects_for_a_spent_ceiling_only_when_it_is_spent(django_capture_on_commit_callbacks):
    from documents.models import Letter
    from tests.documents.test_letters import pdf_text

    scheme = SchemeFactory(budget_ceiling=Decimal("15000.00"))
    first = ApplicationFactory(scheme=scheme, awarded=True)  # 10,000 awarded: 5,000 left
    late = ApplicationFactory(scheme=scheme, cofunding_check=True, amount=Decimal("8000.00"))
    officer, decider = officer_of(late), decider_of(late)
    decision = actions.decision_prepare(application=late, actor=officer, kind="ceiling_rejection")
    # Budget comes free before the decider takes it: the ceiling is no reason any more.
    type(first).objects.filter(pk=first.pk).update(status="withdrawn")
    messages = refused(lambda: actions.decision_take(decision=decision, actor=decider), late)
    assert messages == ["The ceiling is not spent: €15,000.00 remains, enough for the requested €8,000.00."]
    with pytest.raises(ActionRefused, match="The ceiling is not spent"):
        actions.decision_prepare(application=late, actor=officer, kind="ceiling_rejection")
    type(first).objects.filter(pk=first.pk).update(status="awarded")
    with django_capture_on_commit_callbacks(execute=True):
        actions.decision_take(decision=decision, actor=decider)
    late.refresh_from_db()
    assert late.status == S.REJECTED
    letter = Letter.objects.get(decision=decision)
    text = " ".join(pdf_text(letter.pdf.read()).split())
    assert "omdat het subsidieplafond van de regeling is bereikt (artikel 4:25, tweede lid, Awb)" in text
    assert "in de volgorde waarin de aanvragen volledig zijn ontvangen" in text


def test_the_preparer_cannot_take_their_own_decision():
    decision = DecisionFactory()
    application = decision.application
    preparer = decision.prepared_by
    from grants.models import FunderRole

    FunderRole.objects.create(user=preparer, funder=application.scheme.funder, role=Role.DECIDER)
    with pytest.raises(PermissionRefused) as info:
        actions.decision_take(decision=decision, actor=preparer)
    assert "four eyes" in info.value.messages[0]
    application.refresh_from_db()
    assert application.status == S.COFUNDING_CHECK
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PREPARED


def test_a_reviewer_of_the_application_cannot_decide_on_it():
    decision = DecisionFactory()
    application = decision.application
    reviewer_and_decider = decider_of(application)
    review = ReviewFactory(application=application, reviewer=reviewer_and_decider)
    force_status(review, "submitted")
    messages = refused(lambda: actions.decision_take(decision=decision, actor=reviewer_and_decider), application)
    assert messages == ["You reviewed this application, so you cannot decide on it."]


def test_award_refused_when_it_would_exceed_the_ceiling():
    scheme = SchemeFactory(budget_ceiling=Decimal("25000.00"))
    ApplicationFactory(awarded=True, scheme=scheme, amount=Decimal("20000.00"))
    decision = DecisionFactory(application=ApplicationFactory(cofunding_check=True, scheme=scheme))
    messages = refused(
        lambda: actions.decision_take(decision=decision, actor=decider_of(decision.application)), decision.application
    )
    assert messages == [
        "The budget ceiling of €25,000.00 would be exceeded: €20,000.00 is already awarded, €5,000.00 remains."
    ]


def test_award_refused_without_enough_confirmed_cofunding():
    decision = DecisionFactory(application=ApplicationFactory(reviewed=True))
    force_status(decision.application, S.COFUNDING_CHECK)
    messages = refused(
        lambda: actions.decision_take(decision=decision, actor=decider_of(decision.application)), decision.application
    )
    assert any(m.startswith("Confirmed co-funding is") for m in messages), messages


# --- objection overturned: an award that results must fit the ceiling ------------------------
def _objection_against_rejection(scheme):
    application = ApplicationFactory(rejected=True, scheme=scheme)
    decision = Decision.objects.create(
        application=application,
        kind=DecisionKind.REJECTION,
        status=DecisionStatus.TAKEN,
        prepared_by=officer_of(application),
        letter_date=timezone.localdate(),
    )
    actions.application_object(application=application, actor=application.team.contact, grounds="Onterecht.")
    return Objection.objects.get(application=application, decision=decision)


def test_overturning_a_rejection_awards_the_requested_amount():
    objection = _objection_against_rejection(SchemeFactory())
    application = objection.application
    actions.objection_decide(objection=objection, actor=decider_of(application), overturn=True, reasons="Gegrond.")
    application.refresh_from_db()
    assert application.status == S.AWARDED
    assert application.awarded_amount == application.requested_amount
    assert application.decided_at is not None


def test_overturning_a_rejection_is_refused_when_the_ceiling_is_used_up():
    scheme = SchemeFactory(budget_ceiling=Decimal("25000.00"))
    objection = _objection_against_rejection(scheme)
    ApplicationFactory(awarded=True, scheme=scheme, amount=Decimal("20000.00"))
    application = objection.application
    messages = refused(
        lambda: actions.objection_decide(
            objection=objection, actor=decider_of(application), overturn=True, reasons="Gegrond."
        ),
        application,
    )
    assert any("budget ceiling" in m for m in messages), messages


# --- permissions --------------------------------------------------------------------------
def test_a_member_of_another_team_cannot_act_for_the_team():
    application = ApplicationFactory()
    outsider = TeamFactory().contact
    messages = refused(lambda: actions.application_submit(application=application, actor=outsider), application)
    assert messages == ["You are not allowed to do this."]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.DECIDER])
def test_staff_of_another_funder_cannot_act(role):
    application = ApplicationFactory(submitted=True)
    other_funder = SchemeFactory().funder
    outsider = staff(other_funder, role)
    messages = refused(
        lambda: actions.application_declare_ineligible(application=application, actor=outsider, reasons="Nee."),
        application,
    )
    assert messages == ["You are not allowed to do this."]
    decision = DecisionFactory()
    messages = refused(lambda: actions.decision_take(decision=decision, actor=outsider), decision.application)
    assert messages == ["You are not allowed to do this."]


def test_an_officer_cannot_take_a_decision_and_a_team_cannot_screen():
    decision = DecisionFactory()
    application = decision.application
    messages = refused(lambda: actions.decision_take(decision=decision, actor=officer_of(application)), application)
    assert messages == ["You are not allowed to do this."]
    messages = refused(
        lambda: actions.application_check_cofunding(application=application, actor=application.team.contact),
        application,
    )
    assert messages == ["You are not allowed to do this."]


def test_a_partner_member_cannot_review_in_conflict():
    application = ApplicationFactory(submitted=True)
    partner = OrganisationFactory()
    application.partners.add(partner)
    reviewer = staff(application.scheme.funder, Role.REVIEWER)
    partner.members.add(reviewer)
    messages = refused(
        lambda: actions.review_assign(application=application, actor=officer_of(application), reviewer=reviewer),
        application,
    )
    assert any("which takes part in this application" in m for m in messages), messages


@pytest.mark.parametrize(("language", "expected"), [("nl", "€ 194.950,00"), ("en", "€194,950.00"), ("nl", "-€ 0,50")])
def test_format_euro(language, expected):
    from grants.money import format_euro

    amount = Decimal("-0.50") if expected.startswith("-") else Decimal("194950")
    assert format_euro(amount, language) == expected


def test_decision_take_refuses_a_prepared_decision_of_another_kind():
    """A prepared revocation is taken through application_revoke, not decision_take (no crash)."""
    application = ApplicationFactory(awarded=True)
    decision = Decision.objects.create(
        application=application,
        kind=DecisionKind.REVOCATION,
        reasons="Voorwaarden geschonden.",
        prepared_by=officer_of(application),
    )
    messages = refused(lambda: actions.decision_take(decision=decision, actor=decider_of(application)), application)
    assert messages == ["Only an award or a rejection is taken here."]


@pytest.mark.parametrize("overturn", [False, True])
def test_an_objection_without_a_recorded_decision_is_refused_not_a_crash(overturn):
    application = ApplicationFactory(objection=True)  # status_before_objection left empty
    decision = Decision.objects.create(
        application=application,
        kind=DecisionKind.AWARD,
        status=DecisionStatus.TAKEN,
        prepared_by=officer_of(application),
        letter_date=timezone.localdate(),
    )
    objection = Objection.objects.create(
        application=application,
        decision=decision,
        grounds="Onjuist.",
        submitted_by=application.team.contact,
        due_date=timezone.localdate(),
    )
    messages = refused(
        lambda: actions.objection_decide(
            objection=objection, actor=decider_of(application), overturn=overturn, reasons="Besluit."
        ),
        application,
    )
    assert messages == ["It is not recorded which decision this objection is against."]


def test_refusals_are_in_dutch_for_dutch_users():
    application = ApplicationFactory(submitted=True)
    with translation.override("nl"), pytest.raises(ActionRefused) as info:
        actions.application_submit(application=application, actor=application.team.contact)
    assert "is niet mogelijk zolang de status" in info.value.messages[0], info.value.messages


def test_withdrawing_cancels_a_prepared_decision():
    decision = DecisionFactory()
    application = decision.application
    actions.application_withdraw(application=application, actor=application.team.contact, reason="Geen tijd meer.")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CANCELLED
    messages = refused(lambda: actions.decision_take(decision=decision, actor=decider_of(application)), application)
    assert messages == ["“Award” is not possible while the status is “Withdrawn”."]  # not "replaced"


def test_preparing_a_new_decision_cancels_the_earlier_one_with_an_audit_event():
    first = DecisionFactory()
    application = first.application
    officer = officer_of(application)
    second = actions.decision_prepare(
        application=application, actor=officer, kind=DecisionKind.REJECTION, reasons="Te duur."
    )
    assert_replaced_with_an_audit_event(first, second, actor=officer, kind=DecisionKind.AWARD)
    messages = refused(lambda: actions.decision_take(decision=first, actor=decider_of(application)), application)
    assert messages == ["This decision has already been taken or was replaced."]


def test_an_objection_is_against_the_latest_objectable_decision():
    """A later letter that cannot be objected to (a term extension) is not what the objection is against."""
    application = ApplicationFactory(rejected=True)
    officer = officer_of(application)
    today = timezone.localdate()
    rejection = Decision.objects.create(
        application=application,
        kind=DecisionKind.REJECTION,
        status=DecisionStatus.TAKEN,
        prepared_by=officer,
        letter_date=today - datetime.timedelta(days=10),
    )
    Decision.objects.create(
        application=application,
        kind=DecisionKind.TERM_EXTENSION,
        status=DecisionStatus.TAKEN,
        prepared_by=officer,
        letter_date=today,
    )
    objection = actions.application_object(application=application, actor=application.team.contact, grounds="Onjuist.")
    assert objection.decision == rejection
