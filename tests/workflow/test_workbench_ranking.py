"""A ranking round decides 30 applications against a ceiling that fits 12."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import Letter
from finance.models import Payment
from grants.models import AllocationMethod, Application, AuditEvent, Decision, Review
from tests.concurrency import one_waits_for_the_other
from tests.factories import ApplicationFactory, DecisionFactory, FunderFactory, SchemeFactory, force_status, staff
from workflow.actions.pledges import pledge_withdraw
from workflow.actions.ranking import ranking_round_decide, ranking_round_prepare
from workflow.exceptions import ActionRefused, PermissionRefused
from workflow.models import RankingRound
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus, ReviewStatus, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_world():
    funder = FunderFactory()
    today = timezone.localdate()
    scheme = SchemeFactory(
        funder=funder,
        allocation_method=AllocationMethod.RANKING,
        opens_on=today - datetime.timedelta(days=90),
        closes_on=today - datetime.timedelta(days=1),
        budget_ceiling=Decimal("120000.00"),
        max_per_application=Decimal("10000.00"),
    )
    officer, decider = staff(funder, Role.OFFICER), staff(funder, Role.DECIDER)
    reviewer = staff(funder, Role.REVIEWER)
    applications = []
    for n in range(30):
        # 28 in the co-funding check, 2 still "reviewed" (moved through check_cofunding by the round).
        state = {"reviewed": True} if n in (3, 20) else {"cofunding_check": True}
        application = ApplicationFactory(scheme=scheme, amount=Decimal("10000.00"), **state)
        if n in (3, 20):
            force_status(application.pledges.get(), "confirmed")
        # Scores 30..88 in steps of 2; positions 12 and 13 (index 11 and 12) tie at the line.
        score = Decimal(88 - 2 * n) if n < 12 else Decimal(88 - 2 * (n - 1))
        review = Review.objects.create(application=application, reviewer=reviewer, assigned_by=officer)
        Review.objects.filter(pk=review.pk).update(status=ReviewStatus.SUBMITTED, weighted_score=score)
        applications.append(application)
    return {"scheme": scheme, "officer": officer, "decider": decider, "applications": applications}


def test_ranking_round_awards_twelve_and_rejects_eighteen_with_the_ceiling(
    round_world, django_capture_on_commit_callbacks
):
    scheme, officer, decider = round_world["scheme"], round_world["officer"], round_world["decider"]
    ranking_round = ranking_round_prepare(scheme=scheme, actor=officer)
    rows = ranking_round.ranking
    assert [row["above_line"] for row in rows] == [True] * 12 + [False] * 18
    assert rows[11]["tie"]
    assert rows[12]["tie"]  # the tie at the line is shown
    assert [Decimal(r["score"]) for r in rows] == sorted((Decimal(r["score"]) for r in rows), reverse=True)

    with pytest.raises(PermissionRefused):
        ranking_round_decide(ranking_round=ranking_round, actor=officer)  # four eyes

    with django_capture_on_commit_callbacks(execute=True):
        ranking_round_decide(ranking_round=ranking_round, actor=decider)

    statuses = dict(Application.objects.filter(scheme=scheme).values_list("pk", "status"))
    above = [row["application"] for row in rows[:12]]
    below = [row["application"] for row in rows[12:]]
    assert {statuses[pk] for pk in above} == {ApplicationStatus.AWARDED}
    assert {statuses[pk] for pk in below} == {ApplicationStatus.REJECTED}
    awarded = sum(Application.objects.filter(pk__in=above).values_list("awarded_amount", flat=True))
    assert awarded == scheme.budget_ceiling
    rejection = Application.objects.get(pk=below[0]).decisions.get()
    assert rejection.kind == DecisionKind.CEILING_REJECTION
    assert "Awb 4:25" in rejection.reasons
    ranking_round.refresh_from_db()
    assert Letter.objects.filter(decision__application__scheme=scheme, batch=ranking_round.batch_key).count() == 30
    assert ranking_round.status == RankingRound.Status.DECIDED
    assert ranking_round.batch_key
    # The two that were only "reviewed" went through check_cofunding, audited.
    moved = round_world["applications"][3]
    assert moved.audit_events.filter(action="check_cofunding").exists()

    with pytest.raises(ActionRefused):
        ranking_round_decide(ranking_round=ranking_round, actor=decider)  # once only


def test_every_award_of_a_round_gets_its_advance_as_a_single_award_does(
    round_world, django_capture_on_commit_callbacks
):
    scheme, decider = round_world["scheme"], round_world["decider"]
    ranking_round = ranking_round_prepare(scheme=scheme, actor=round_world["officer"])
    above = [row["application"] for row in ranking_round.ranking if row["above_line"]]
    below = [row["application"] for row in ranking_round.ranking if not row["above_line"]]
    today = timezone.localdate()
    # One project started before the award: its advance falls due on the award date, not before.
    Application.objects.filter(pk=above[0]).update(project_start=today - datetime.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=False):
        ranking_round_decide(ranking_round=ranking_round, actor=decider)

    payments = Payment.objects.filter(application__scheme=scheme).select_related("application", "decision")
    assert sorted(payment.application_id for payment in payments) == sorted(above)  # one each, none below
    for payment in payments:
        application = payment.application
        assert (payment.kind, payment.status) == (Payment.Kind.ADVANCE, "scheduled")
        # 80 % of the award of EUR 10,000, in Decimal cents.
        assert payment.amount == Decimal("8000.00")
        assert payment.amount == application.awarded_amount * scheme.advance_percentage / 100
        assert payment.due_date == (today if application.pk == above[0] else application.project_start)
        assert payment.decision == application.decisions.get(kind=DecisionKind.AWARD)
        assert payment.prepared_by == decider  # someone else approves it (four eyes)
        assert payment.payee == application.schools.get().board
    events = AuditEvent.objects.filter(action="schedule_payment", application__scheme=scheme)
    assert sorted(events.values_list("application_id", flat=True)) == sorted(above)
    assert not Payment.objects.filter(application_id__in=below).exists()


def test_round_goes_stale_when_an_application_changes(round_world):
    scheme = round_world["scheme"]
    ranking_round = ranking_round_prepare(scheme=scheme, actor=round_world["officer"])
    withdrawn = round_world["applications"][0]
    force_status(withdrawn, ApplicationStatus.WITHDRAWN)
    with pytest.raises(ActionRefused) as refused:
        ranking_round_decide(ranking_round=ranking_round, actor=round_world["decider"])
    assert withdrawn.reference in str(refused.value)
    assert not Application.objects.filter(scheme=scheme, status=ApplicationStatus.AWARDED).exists()


def test_a_round_audits_each_decision_it_takes_and_each_preparation_it_cancels(
    round_world, django_capture_on_commit_callbacks
):
    scheme, officer, decider = round_world["scheme"], round_world["officer"], round_world["decider"]
    ranking_round = ranking_round_prepare(scheme=scheme, actor=officer)
    first, last = (Application.objects.get(pk=ranking_round.ranking[i]["application"]) for i in (0, -1))
    # Single decisions an officer had prepared before the round took over.
    prepared = [DecisionFactory(application=application, prepared_by=officer) for application in (first, last)]
    with django_capture_on_commit_callbacks(execute=False):
        ranking_round_decide(ranking_round=ranking_round, actor=decider)

    for decision in prepared:
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.CANCELLED
        event = AuditEvent.objects.get(action="cancel_decision", subject_id=decision.pk)
        assert (event.application, event.actor) == (decision.application, decider)
        assert (event.from_state, event.to_state) == ("prepared", "cancelled")
        assert event.data == {"kind": DecisionKind.AWARD, "why": "ranking_round", "ranking_round": ranking_round.pk}
    taken = list(Decision.objects.filter(application__scheme=scheme, status=DecisionStatus.TAKEN))
    assert len(taken) == 30
    events = AuditEvent.objects.filter(action="take_decision", application__scheme=scheme)
    assert sorted(events.values_list("subject_id", flat=True)) == sorted(decision.pk for decision in taken)
    for event in events:
        assert (event.actor, event.from_state, event.to_state) == (decider, "prepared", "taken")
        assert event.data == {"ranking_round": ranking_round.pk}
    for decision in taken:
        assert (decision.prepared_by, decision.decided_by) == (officer, decider)
        assert decision.letter_date == timezone.localdate()
    # Each decision's letter is queued once, in the round's batch.
    ranking_round.refresh_from_db()
    letters = Letter.objects.filter(decision__in=taken)
    assert letters.count() == 30
    assert set(letters.values_list("batch", flat=True)) == {ranking_round.batch_key}


def test_a_pledge_withdrawn_after_preparing_stops_the_round(round_world, django_capture_on_commit_callbacks):
    scheme = round_world["scheme"]
    ranking_round = ranking_round_prepare(scheme=scheme, actor=round_world["officer"])
    above = Application.objects.get(pk=ranking_round.ranking[4]["application"])
    assert ranking_round.ranking[4]["above_line"]
    # The co-funder withdraws through its personal link after the officer froze the ranking.
    pledge_withdraw(pledge=above.pledges.get(), via_token=True, reason="Budget elders nodig.")
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(ActionRefused) as refused:
        ranking_round_decide(ranking_round=ranking_round, actor=round_world["decider"])
    assert refused.value.messages == [  # Dutch first: the decider reads it as cofunding_refusal says it
        f"{above.reference}: De bevestigde cofinanciering is € 0,00; deze verlening vraagt ten minste € 10.000,00."
    ]
    # Nothing was awarded, rejected, decided, paid or queued; the round waits to be prepared again.
    assert set(Application.objects.filter(scheme=scheme).values_list("status", flat=True)) <= {
        ApplicationStatus.REVIEWED,
        ApplicationStatus.COFUNDING_CHECK,
    }
    assert not above.decisions.filter(status=DecisionStatus.TAKEN).exists()
    assert not Payment.objects.filter(application__scheme=scheme).exists()
    assert callbacks == []
    ranking_round.refresh_from_db()
    assert ranking_round.status == RankingRound.Status.PREPARED


def test_preparing_again_cancels_the_earlier_round_with_an_audit_event(round_world):
    scheme, officer = round_world["scheme"], round_world["officer"]
    first = ranking_round_prepare(scheme=scheme, actor=officer)
    second = ranking_round_prepare(scheme=scheme, actor=officer)
    first.refresh_from_db()
    assert (first.status, second.status) == (RankingRound.Status.CANCELLED, RankingRound.Status.PREPARED)
    event = AuditEvent.objects.get(action="cancel_ranking_round", subject_id=first.pk)
    assert (event.actor, event.from_state, event.to_state, event.funder) == (
        officer,
        "prepared",
        "cancelled",
        scheme.funder,
    )


def test_no_round_before_the_close_date(round_world):
    scheme = round_world["scheme"]
    scheme.closes_on = timezone.localdate() + datetime.timedelta(days=3)
    scheme.save(update_fields=["closes_on"])
    with pytest.raises(ActionRefused):
        ranking_round_prepare(scheme=scheme, actor=round_world["officer"])


def test_ranked_page_shows_the_cut_line_and_decider_decides_there(client, round_world):
    scheme = round_world["scheme"]
    client.force_login(round_world["officer"])
    url = reverse("workbench:ranking", args=[scheme.pk])
    assert client.post(reverse("workbench:ranking_prepare", args=[scheme.pk])).status_code == 302
    body = client.get(url).content.decode()
    assert body.count('class="wb-above"') == 12
    assert body.count('class="wb-below"') == 18
    assert "wb-cutline" in body
    ranking_round = RankingRound.objects.get(scheme=scheme)
    client.force_login(round_world["decider"])
    response = client.post(reverse("workbench:ranking_decide", args=[scheme.pk, ranking_round.pk]))
    assert response.status_code == 302
    assert Application.objects.filter(scheme=scheme, status=ApplicationStatus.AWARDED).count() == 12


def test_the_ranking_shows_scores_the_dutch_way(client, round_world):
    Review.objects.filter(application=round_world["applications"][0]).update(weighted_score=Decimal("85.78"))
    client.force_login(round_world["officer"])
    url = reverse("workbench:ranking", args=[round_world["scheme"].pk])
    preview = client.get(url).content.decode()
    ranking_round_prepare(scheme=round_world["scheme"], actor=round_world["officer"])
    prepared = client.get(url).content.decode()  # the frozen ranking keeps "85.78" as data
    for page in (preview, prepared):
        assert "85,78" in page
        assert "85.78" not in page


@pytest.mark.django_db(transaction=True)
def test_deciding_a_round_leaves_the_funders_row_to_colleagues(round_world):
    """The round locked the scheme and, through its join, the funder's row. Every colleague's action that
    writes an audit event (it refers to the funder) then waited for the whole round, and one that already
    held an application of the round deadlocked with it."""
    from django.db import connection, transaction

    from grants.audit import record_event

    scheme, officer = round_world["scheme"], round_world["officer"]
    ranking_round = ranking_round_prepare(scheme=scheme, actor=officer)
    # An officer holds an application of the round; the round reaches it and waits. Meanwhile a
    # colleague's work, with its audit event, goes on.
    with (
        one_waits_for_the_other(
            lambda: Application.objects.select_for_update().get(pk=round_world["applications"][0].pk),
            lambda: ranking_round_decide(ranking_round=ranking_round, actor=round_world["decider"]),
        ) as errors,
        transaction.atomic(),
    ):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        record_event(scheme, actor=officer, action="note", funder=scheme.funder)
    assert not errors
    assert RankingRound.objects.get(pk=ranking_round.pk).status == RankingRound.Status.DECIDED
