"""Ranking rounds: one decision on all applications of a scheme with "ranking" allocation.

After the close date an officer prepares the round: the applications that completed
review (status ``reviewed`` or ``cofunding_check``) are ranked by the average of their
reviewers' weighted scores, and awarded down the list, each its requested amount,
until the next one no longer fits in what is left of the ceiling. That is the cut
line; everything from there down is rejected with the ceiling as the reason (Awb 4:25).
There is no skipping past the line to a smaller application further down: the order
of merit decides, as the scheme's regulation promises.

Ties (equal average scores) are shown; they are broken by the time of submission
(earlier first), and the frozen ranking records that this happened.

A decider, never the officer who prepared the round, then takes it in one atomic
action under the scheme's row lock: the ranking must still be the one prepared (same
applications, same states, the awards still within the ceiling, every award still backed
by the confirmed co-funding it needs), applications still
in ``reviewed`` are moved through ``check_cofunding`` (audited like any transition),
those above the line are awarded (each with its advance payment scheduled, exactly as a
single award in ``decision_take``) and those below rejected, and every letter is queued
in one batch whose progress the letters' pages can show.
"""

import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.services import issue_letter
from grants.audit import record_event
from grants.models import AllocationMethod, Application, CoFundingPledge, Decision, Scheme
from grants.money import format_euro
from grants.selectors import committed_amount
from workflow.models import RankingRound
from workflow.states import ApplicationStatus, DecisionKind, ReviewStatus

from ..exceptions import ActionRefused, PermissionRefused
from ..transitions import perform, refusals
from .base import lock, lock_application, require
from .decisions import cancel_prepared_decisions, cofunding_refusal, record_taken
from .money import payment_schedule_advance

RANKABLE_STATES = (ApplicationStatus.REVIEWED, ApplicationStatus.COFUNDING_CHECK)


def ranking_preview(scheme: Scheme) -> dict:
    """The ranked list as it would be prepared now (not frozen): for the officer's page."""
    available = scheme.budget_ceiling - committed_amount(scheme)
    applications = (
        Application.objects.filter(scheme=scheme, status__in=RANKABLE_STATES)
        .annotate(score=Avg("reviews__weighted_score", filter=Q(reviews__status=ReviewStatus.SUBMITTED)))
        .select_related("team")
        .order_by("submitted_at", "pk")
    )
    rows = []
    for application in applications:
        score = application.score if application.score is not None else Decimal("0")
        rows.append(
            {
                "application": application.pk,
                "reference": application.reference,
                "title": application.title,
                "team": application.team.name,
                "status": application.status,
                "score": str(score.quantize(Decimal("0.01"))),
                "amount": str(application.requested_amount),
            }
        )
    # Stable sort: equal scores keep the order of submission (the tie-break).
    rows.sort(key=lambda row: Decimal(row["score"]), reverse=True)
    left = available
    line_reached = False
    score_counts: dict[str, int] = {}
    for row in rows:
        score_counts[row["score"]] = score_counts.get(row["score"], 0) + 1
    for position, row in enumerate(rows, start=1):
        amount = Decimal(row["amount"])
        if not line_reached and amount <= left:
            row["above_line"] = True
            left -= amount
        else:
            line_reached = True
            row["above_line"] = False
        row["position"] = position
        row["tie"] = score_counts[row["score"]] > 1
    return {"available": available, "rows": rows, "left_after": left}


def _prepare_problems(scheme: Scheme, preview: dict) -> list[str]:
    problems = []
    if scheme.allocation_method != AllocationMethod.RANKING:
        problems.append(_("This scheme allocates first come, first served; it has no ranking round."))
    if timezone.localdate() <= scheme.closes_on:
        problems.append(_("A ranking round can be prepared only after the close date."))
    if not preview["rows"]:
        problems.append(_("No application has completed its review yet."))
    still_open = Application.objects.filter(
        scheme=scheme,
        status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.INFO_REQUESTED, ApplicationStatus.IN_REVIEW),
    ).count()
    if still_open:
        problems.append(
            _("%(count)s applications are still being screened or reviewed; rank when every review is complete.")
            % {"count": still_open}
        )
    by_pk = Application.objects.select_related("scheme").in_bulk([row["application"] for row in preview["rows"]])
    for row in preview["rows"]:
        if row["above_line"]:
            refusal = cofunding_refusal(by_pk[row["application"]], Decimal(row["amount"]))
            if refusal:
                problems.append(f"{row['reference']}: {refusal}")
    return problems


def ranking_round_prepare(*, scheme: Scheme, actor) -> RankingRound:
    """The officer freezes the ranking; a prepared round replaces an earlier prepared one."""
    with transaction.atomic():
        scheme = lock(scheme)
        require(actor, "grants.screen_application", scheme)
        preview = ranking_preview(scheme)
        problems = _prepare_problems(scheme, preview)
        if problems:
            raise ActionRefused(problems)
        for replaced in RankingRound.objects.select_for_update().filter(
            scheme=scheme, status=RankingRound.Status.PREPARED
        ):
            replaced.status = RankingRound.Status.CANCELLED
            replaced.save(update_fields=["status"])
            record_event(
                replaced,
                actor=actor,
                action="cancel_ranking_round",
                from_state=RankingRound.Status.PREPARED,
                to_state=RankingRound.Status.CANCELLED,
                funder=scheme.funder,
                data={"why": "replaced"},
            )
        ranking_round = RankingRound.objects.create(
            scheme=scheme, ranking=preview["rows"], available_budget=preview["available"], prepared_by=actor
        )
        record_event(
            ranking_round,
            actor=actor,
            action="prepare_ranking_round",
            to_state=ranking_round.status,
            funder=scheme.funder,
            data={
                "applications": len(preview["rows"]),
                "above_line": sum(1 for row in preview["rows"] if row["above_line"]),
                "available": str(preview["available"]),
            },
        )
    return ranking_round


def ranking_round_decide(*, ranking_round: RankingRound, actor) -> RankingRound:
    """The decider awards above the line and rejects below it, in one transaction."""
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update(of=("self",)).select_related("funder").get(pk=ranking_round.scheme_id)
        ranking_round = RankingRound.objects.select_for_update().get(pk=ranking_round.pk)
        if ranking_round.prepared_by_id == actor.pk:
            raise PermissionRefused(_("You prepared this ranking round; another decider must take it (four eyes)."))
        require(actor, "grants.decide_application", scheme)
        if ranking_round.status != RankingRound.Status.PREPARED:
            raise ActionRefused(_("This ranking round has already been decided or was replaced."))
        rows = ranking_round.ranking
        applications = {row["application"]: lock_application(row["application"]) for row in rows}
        problems = _stale_problems(scheme, ranking_round, applications)
        for application in applications.values():
            if application.reviews.filter(reviewer=actor).exists():
                problems.append(
                    _("You reviewed %(reference)s, so you cannot decide this round.")
                    % {"reference": application.reference}
                )
        if problems:
            raise ActionRefused(problems)
        batch = f"ranking-{ranking_round.pk}-{uuid.uuid4().hex[:8]}"
        reasons = _("The budget ceiling of %(ceiling)s of the scheme %(scheme)s has been reached (Awb 4:25).") % {
            "ceiling": format_euro(scheme.budget_ceiling),
            "scheme": scheme.name,
        }
        for row in rows:
            application = applications[row["application"]]
            data = {"ranking_round": ranking_round.pk, "position": row["position"], "score": row["score"]}
            if row["above_line"]:
                if application.status == ApplicationStatus.REVIEWED:
                    perform(application, "check_cofunding", actor=actor, data=data)
                amount = Decimal(row["amount"])
                perform(application, "award", actor=actor, kwargs={"amount": amount}, data=data)
                decision = _decide(
                    application, kind=DecisionKind.AWARD, amount=amount, ranking_round=ranking_round, actor=actor
                )
                # Exactly as for a single award (decision_take): the advance is scheduled with the award.
                payment_schedule_advance(application, actor=actor, decision=decision)
            else:
                perform(application, "reject", actor=actor, reason=reasons, data=data)
                _decide(
                    application,
                    kind=DecisionKind.CEILING_REJECTION,
                    reasons=reasons,
                    ranking_round=ranking_round,
                    actor=actor,
                )
        for application in applications.values():
            issue_letter(application._ranking_decision, batch=batch, actor=actor)
        now = timezone.now()
        ranking_round.status = RankingRound.Status.DECIDED
        ranking_round.decided_by, ranking_round.decided_at, ranking_round.batch_key = actor, now, batch
        ranking_round.save(update_fields=["status", "decided_by", "decided_at", "batch_key"])
        record_event(
            ranking_round,
            actor=actor,
            action="decide_ranking_round",
            from_state=RankingRound.Status.PREPARED,
            to_state=RankingRound.Status.DECIDED,
            funder=scheme.funder,
            data={"batch": batch, "applications": len(rows)},
        )
    return ranking_round


def _stale_problems(scheme, ranking_round, applications) -> list[str]:
    """What changed since the round was prepared, so the frozen ranking no longer holds."""
    problems = []
    current = set(Application.objects.filter(scheme=scheme, status__in=RANKABLE_STATES).values_list("pk", flat=True))
    if current != set(applications):
        problems.append(_("The set of ranked applications changed since the round was prepared; prepare it again."))
    awards = sum((Decimal(row["amount"]) for row in ranking_round.ranking if row["above_line"]), Decimal("0"))
    if committed_amount(scheme) + awards > scheme.budget_ceiling:
        problems.append(_("The awards above the line no longer fit in the budget ceiling; prepare the round again."))
    for pk, application in applications.items():
        transition = "award" if application.status == ApplicationStatus.COFUNDING_CHECK else "check_cofunding"
        if application.status not in RANKABLE_STATES or refusals(application, transition):
            problems.append(
                _("%(reference)s is no longer ready for a decision.") % {"reference": application.reference or pk}
            )
    # A pledge confirmed when the round was prepared may have been withdrawn since: every award
    # needs its confirmed co-funding now, as decision_take requires of a single award. The
    # pledges are locked first, so a withdrawal cannot slip in between this check and the award.
    above = [row for row in ranking_round.ranking if row["above_line"]]
    list(CoFundingPledge.objects.select_for_update().filter(application__in=[row["application"] for row in above]))
    for row in above:
        application = applications[row["application"]]
        refusal = cofunding_refusal(application, Decimal(row["amount"]))
        if refusal:
            problems.append(f"{application.reference}: {refusal}")
    return problems


def _decide(application, *, kind, ranking_round, actor, amount=None, reasons="") -> Decision:
    """The round's decision on one application: prepared with the round, taken now, audited.

    Its letter is queued by the caller with the round's batch, not one by one.
    """
    round_data = {"ranking_round": ranking_round.pk}
    cancel_prepared_decisions(application, actor=actor, why="ranking_round", data=round_data)
    decision = Decision.objects.create(
        application=application,
        kind=kind,
        amount=amount,
        reasons=reasons,
        prepared_by=ranking_round.prepared_by,
        prepared_at=ranking_round.prepared_at,
        data=round_data,
    )
    record_taken(decision, actor, data=round_data)
    application._ranking_decision = decision
    return decision
