"""Every (application state, action) pair: allowed ones move and audit, refused ones say why.

The table of allowed source states below is written down from DESIGN.md, not read
from the FSM, so a transition that drifts from the design fails here. Each case
prepares what its guards need (reviews, an information request whose term passed,
a letter to object to, ...) so that the only reason left to refuse is the status.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from grants.models import Application, AuditEvent, Decision, Extension, InformationRequest, Objection
from tests.factories import ApplicationFactory, ReviewFactory, force_status, staff
from workflow import actions
from workflow.exceptions import ActionRefused
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus, Role

S = ApplicationStatus
pytestmark = pytest.mark.django_db

REASON = "Omdat het zo is afgesproken."


@dataclass
class World:
    application: Application
    team_member: Any
    officer: Any
    decider: Any
    objects: dict = field(default_factory=dict)


def world_for(application: Application) -> World:
    funder = application.scheme.funder
    return World(
        application=application,
        team_member=application.team.contact,
        officer=staff(funder, Role.OFFICER),
        decider=staff(funder, Role.DECIDER),
    )


# --- Preparations: make every guard satisfiable, whatever the state -----------------------
def prepare_nothing(world: World) -> None:
    pass


def prepare_info_request_answerable(world: World) -> None:
    world.objects["request"] = InformationRequest.objects.create(
        application=world.application,
        message="Stuur de begroting van de partner mee.",
        due_date=timezone.localdate() + datetime.timedelta(days=7),
        requested_by=world.officer,
    )


def prepare_info_term_passed(world: World) -> None:
    InformationRequest.objects.create(
        application=world.application,
        message="Stuur de begroting van de partner mee.",
        due_date=timezone.localdate() - datetime.timedelta(days=1),
        requested_by=world.officer,
        requested_at=timezone.now() - datetime.timedelta(days=15),
    )


def prepare_review_ready(world: World) -> None:
    Application.objects.filter(pk=world.application.pk).update(
        eligibility_confirmed_at=timezone.now(), eligibility_confirmed_by=world.officer
    )
    ReviewFactory(application=world.application)
    world.application.refresh_from_db()


def prepare_reviews_done(world: World) -> None:
    review = ReviewFactory(application=world.application)
    force_status(review, "submitted")


def prepare_decision(kind: str) -> Callable[[World], None]:
    def prepare(world: World) -> None:
        world.objects["decision"] = Decision.objects.create(
            application=world.application,
            kind=kind,
            amount=world.application.requested_amount if kind == DecisionKind.AWARD else None,
            reasons=REASON,
            prepared_by=world.officer,
        )

    return prepare


def prepare_project_over(world: World) -> None:
    """The project ended long enough ago that the final report is overdue."""
    today = timezone.localdate()
    Application.objects.filter(pk=world.application.pk).update(
        project_start=today - datetime.timedelta(days=400), project_end=today - datetime.timedelta(days=100)
    )
    world.application.refresh_from_db()


def prepare_extension(world: World) -> None:
    world.objects["extension"] = Extension.objects.create(
        application=world.application,
        motivation="De pilot loopt goed; we willen meer scholen laten aansluiten.",
        new_end_date=world.application.project_end + datetime.timedelta(days=90),
        requested_by=world.team_member,
    )


def prepare_extension_decision(kind: str) -> Callable[[World], None]:
    """The extension request, with the officer's recommendation for the decider (four eyes)."""

    def prepare(world: World) -> None:
        prepare_extension(world)
        Decision.objects.create(application=world.application, kind=kind, reasons=REASON, prepared_by=world.officer)

    return prepare


def prepare_revocation(world: World) -> None:
    Decision.objects.create(
        application=world.application, kind=DecisionKind.REVOCATION, reasons=REASON, prepared_by=world.officer
    )


def prepare_letter(world: World) -> None:
    world.objects["decision"] = Decision.objects.create(
        application=world.application,
        kind=DecisionKind.REJECTION,
        status=DecisionStatus.TAKEN,
        reasons=REASON,
        prepared_by=world.officer,
        decided_by=world.decider,
        decided_at=timezone.now(),
        letter_date=timezone.localdate(),
    )


def prepare_objection(world: World) -> None:
    """An open objection against a rejection; upholding returns to rejected."""
    prepare_letter(world)
    Application.objects.filter(pk=world.application.pk).update(status_before_objection=S.REJECTED)
    world.application.refresh_from_db()
    world.objects["objection"] = Objection.objects.create(
        application=world.application,
        decision=world.objects["decision"],
        grounds="Het plan is wel degelijk vernieuwend.",
        submitted_by=world.team_member,
        due_date=timezone.localdate() + datetime.timedelta(weeks=6),
    )


def prepare_extension_letter(world: World) -> None:
    """A refused extension, its letter dated today: objected to while the project runs."""
    prepare_extension(world)
    world.objects["decision"] = Decision.objects.create(
        application=world.application,
        kind=DecisionKind.EXTENSION_DENIED,
        status=DecisionStatus.TAKEN,
        reasons=REASON,
        prepared_by=world.officer,
        decided_by=world.decider,
        decided_at=timezone.now(),
        letter_date=timezone.localdate(),
        data={"new_end_date": world.objects["extension"].new_end_date.isoformat()},
    )
    Extension.objects.filter(pk=world.objects["extension"].pk).update(status="denied")


def prepare_extension_objection(world: World) -> None:
    """An open objection against the refused extension; the status is left as it is."""
    prepare_extension_letter(world)
    world.objects["objection"] = Objection.objects.create(
        application=world.application,
        decision=world.objects["decision"],
        grounds="De verlenging is wel nodig.",
        submitted_by=world.team_member,
        due_date=timezone.localdate() + datetime.timedelta(weeks=6),
    )


@dataclass
class Case:
    """One user action: the transition it runs, the states it may start from, how to call it."""

    transition: str
    sources: tuple
    target: str | None  # None: the status stays (an objection against the extension decision)
    call: Callable[[World], Any]
    actor: str
    prepare: Callable[[World], None] = prepare_nothing
    reason: str = ""


def _app(world):
    return world.application


CASES = {
    "submit": Case(
        "submit",
        (S.DRAFT,),
        S.SUBMITTED,
        lambda w: actions.application_submit(application=_app(w), actor=w.team_member),
        actor="team_member",
    ),
    "answer_information_request": Case(
        "resubmit",
        (S.INFO_REQUESTED,),
        S.SUBMITTED,
        lambda w: actions.application_answer_information_request(
            application=_app(w), actor=w.team_member, answer=REASON
        ),
        actor="team_member",
        prepare=prepare_info_request_answerable,
        reason=REASON,
    ),
    "request_info": Case(
        "request_info",
        (S.SUBMITTED,),
        S.INFO_REQUESTED,
        lambda w: actions.application_request_info(application=_app(w), actor=w.officer, message=REASON),
        actor="officer",
        reason=REASON,
    ),
    "lapse": Case(
        "lapse",
        (S.INFO_REQUESTED,),
        S.NOT_CONSIDERED,
        lambda w: actions.application_lapse(application=_app(w), actor=w.officer),
        actor="officer",
        prepare=prepare_info_term_passed,
    ),
    "declare_ineligible": Case(
        "declare_ineligible",
        (S.SUBMITTED,),
        S.REJECTED,
        lambda w: actions.application_declare_ineligible(application=_app(w), actor=w.officer, reasons=REASON),
        actor="officer",
        reason=REASON,
    ),
    "start_review": Case(
        "start_review",
        (S.SUBMITTED,),
        S.IN_REVIEW,
        lambda w: actions.application_start_review(application=_app(w), actor=w.officer),
        actor="officer",
        prepare=prepare_review_ready,
    ),
    "complete_review": Case(
        "complete_review",
        (S.IN_REVIEW,),
        S.REVIEWED,
        lambda w: actions.application_complete_review(application=_app(w), actor=w.officer),
        actor="officer",
        prepare=prepare_reviews_done,
    ),
    "check_cofunding": Case(
        "check_cofunding",
        (S.REVIEWED,),
        S.COFUNDING_CHECK,
        lambda w: actions.application_check_cofunding(application=_app(w), actor=w.officer),
        actor="officer",
    ),
    "decision_take_award": Case(
        "award",
        (S.COFUNDING_CHECK,),
        S.AWARDED,
        lambda w: actions.decision_take(decision=w.objects["decision"], actor=w.decider),
        actor="decider",
        prepare=prepare_decision(DecisionKind.AWARD),
        reason=REASON,
    ),
    "decision_take_reject": Case(
        "reject",
        (S.REVIEWED, S.COFUNDING_CHECK),
        S.REJECTED,
        lambda w: actions.decision_take(decision=w.objects["decision"], actor=w.decider),
        actor="decider",
        prepare=prepare_decision(DecisionKind.REJECTION),
        reason=REASON,
    ),
    "withdraw": Case(
        "withdraw",
        (S.DRAFT, S.SUBMITTED, S.INFO_REQUESTED, S.IN_REVIEW, S.REVIEWED, S.COFUNDING_CHECK),
        S.WITHDRAWN,
        lambda w: actions.application_withdraw(application=_app(w), actor=w.team_member, reason=REASON),
        actor="team_member",
        reason=REASON,
    ),
    "start": Case(
        "start",
        (S.AWARDED,),
        S.ACTIVE,
        lambda w: actions.application_start(application=_app(w), actor=w.team_member),
        actor="team_member",
    ),
    "request_extension": Case(
        "request_extension",
        (S.ACTIVE,),
        S.EXTENSION_REQUESTED,
        lambda w: actions.application_request_extension(
            application=_app(w),
            actor=w.team_member,
            motivation=REASON,
            new_end_date=_app(w).project_end + datetime.timedelta(days=60),
        ),
        actor="team_member",
        reason=REASON,
    ),
    "extension_decide_grant": Case(
        "grant_extension",
        (S.EXTENSION_REQUESTED,),
        S.ACTIVE,
        lambda w: actions.extension_decide(
            extension=w.objects["extension"], actor=w.decider, grant=True, reasons=REASON
        ),
        actor="decider",
        prepare=prepare_extension_decision(DecisionKind.EXTENSION_GRANTED),
        reason=REASON,
    ),
    "extension_decide_deny": Case(
        "deny_extension",
        (S.EXTENSION_REQUESTED,),
        S.ACTIVE,
        lambda w: actions.extension_decide(
            extension=w.objects["extension"], actor=w.decider, grant=False, reasons=REASON
        ),
        actor="decider",
        prepare=prepare_extension_decision(DecisionKind.EXTENSION_DENIED),
        reason=REASON,
    ),
    "submit_final_report": Case(
        "submit_final_report",
        (S.ACTIVE,),
        S.FINAL_REPORT_SUBMITTED,
        lambda w: actions.application_submit_final_report(application=_app(w), actor=w.team_member),
        actor="team_member",
    ),
    "return_report": Case(
        "return_report",
        (S.FINAL_REPORT_SUBMITTED,),
        S.ACTIVE,
        lambda w: actions.application_return_report(application=_app(w), actor=w.officer, comment=REASON),
        actor="officer",
        reason=REASON,
    ),
    "settle": Case(
        "settle",
        (S.FINAL_REPORT_SUBMITTED, S.ACTIVE),
        S.SETTLED,
        lambda w: actions.application_settle(
            application=_app(w), actor=w.officer, amount=Decimal("9000.00"), reasons=REASON
        ),
        actor="officer",
        prepare=prepare_project_over,
        reason=REASON,
    ),
    "close": Case(
        "close",
        (S.SETTLED,),
        S.CLOSED,
        lambda w: actions.application_close(application=_app(w), actor=w.officer),
        actor="officer",
    ),
    "object": Case(
        "object",
        (S.AWARDED, S.REJECTED, S.SETTLED, S.NOT_CONSIDERED, S.REVOKED),
        S.OBJECTION,
        lambda w: actions.application_object(application=_app(w), actor=w.team_member, grounds=REASON),
        actor="team_member",
        prepare=prepare_letter,
        reason=REASON,
    ),
    "objection_decide_uphold": Case(
        "uphold",
        (S.OBJECTION,),
        S.REJECTED,
        lambda w: actions.objection_decide(
            objection=w.objects["objection"], actor=w.decider, overturn=False, reasons=REASON
        ),
        actor="decider",
        prepare=prepare_objection,
        reason=REASON,
    ),
    "objection_decide_overturn": Case(
        "overturn",
        (S.OBJECTION,),
        S.AWARDED,
        lambda w: actions.objection_decide(
            objection=w.objects["objection"], actor=w.decider, overturn=True, reasons=REASON
        ),
        actor="decider",
        prepare=prepare_objection,
        reason=REASON,
    ),
    "object_during_project": Case(
        "object_during_project",
        (S.ACTIVE, S.FINAL_REPORT_SUBMITTED),
        None,
        lambda w: actions.application_object(application=_app(w), actor=w.team_member, grounds=REASON),
        actor="team_member",
        prepare=prepare_extension_letter,
        reason=REASON,
    ),
    "objection_decide_uphold_during_project": Case(
        "uphold_during_project",
        (S.ACTIVE, S.FINAL_REPORT_SUBMITTED),
        None,
        lambda w: actions.objection_decide(
            objection=w.objects["objection"], actor=w.decider, overturn=False, reasons=REASON
        ),
        actor="decider",
        prepare=prepare_extension_objection,
        reason=REASON,
    ),
    "objection_decide_overturn_during_project": Case(
        "overturn_during_project",
        (S.ACTIVE,),
        None,
        lambda w: actions.objection_decide(
            objection=w.objects["objection"], actor=w.decider, overturn=True, reasons=REASON
        ),
        actor="decider",
        prepare=prepare_extension_objection,
        reason=REASON,
    ),
    "revoke": Case(
        "revoke",
        (S.AWARDED, S.ACTIVE),
        S.REVOKED,
        lambda w: actions.application_revoke(application=_app(w), actor=w.decider, reasons=REASON),
        actor="decider",
        prepare=prepare_revocation,
        reason=REASON,
    ),
}


def test_the_matrix_covers_every_application_transition():
    """A transition added to the model without a case here fails this test."""
    fsm_transitions = {t.name for t in Application._meta.get_field("status").get_all_transitions(Application)}
    assert fsm_transitions == {case.transition for case in CASES.values()}


def _transition_events(application, name):
    return AuditEvent.objects.filter(application=application, action=name)


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("action", list(CASES))
def test_every_state_and_action(action, state):
    case = CASES[action]
    application = ApplicationFactory(status_=state)
    assert application.status == state
    world = world_for(application)
    case.prepare(world)
    events_before = AuditEvent.objects.filter(application=application).count()

    with translation.override("en"):
        if state in case.sources:
            case.call(world)
        else:
            with pytest.raises(ActionRefused) as refused:
                case.call(world)

    application.refresh_from_db()
    if state in case.sources:
        target = case.target or state
        assert application.status == target
        event = _transition_events(application, case.transition).get()
        assert event.actor == getattr(world, case.actor)
        assert (event.from_state, event.to_state) == (state, target)
        assert event.created_at is not None
        assert event.reason == case.reason
        assert event.subject == application
    else:
        assert any("not possible while the status is" in message for message in refused.value.messages), (
            refused.value.messages
        )
        assert application.status == state
        assert AuditEvent.objects.filter(application=application).count() == events_before
