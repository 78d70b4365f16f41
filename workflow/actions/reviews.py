"""What a reviewer does: declare (no) conflict of interest, then score."""

from django.db import transaction
from django.utils.translation import gettext as _

from grants.models import Review, ReviewScore
from grants.rules import organisations_in_conflict

from ..exceptions import ActionRefused
from ..transitions import perform
from .base import lock, require


def review_declare_no_conflict(*, review: Review, actor) -> Review:
    with transaction.atomic():
        review = lock(review)
        require(actor, "grants.act_on_review", review)
        # Assigned before they joined an applying school, its board or a partner: no "no conflict" then.
        involved = organisations_in_conflict(review.application).filter(members=actor).order_by("name").first()
        if involved is not None:
            raise ActionRefused(
                _(
                    "You belong to %(organisation)s, which takes part in this application: declare the conflict "
                    "of interest instead."
                )
                % {"organisation": involved.name}
            )
        perform(review, "declare_no_conflict", actor=actor, application=review.application)
    return review


def review_declare_conflict(*, review: Review, actor, reason: str) -> Review:
    with transaction.atomic():
        review = lock(review)
        require(actor, "grants.act_on_review", review)
        if not reason.strip():
            raise ActionRefused(_("Describe the conflict of interest."))
        perform(
            review,
            "declare_conflict",
            actor=actor,
            reason=reason,
            kwargs={"reason": reason},
            application=review.application,
        )
    return review


def review_save_scores(
    *, review: Review, actor, scores: dict, recommendation: str = "", comment: str = "", submit: bool = False
) -> Review:
    """Save draft scores (criterion id -> score); with `submit`, also submit the review."""
    with transaction.atomic():
        review = lock(review)
        require(actor, "grants.act_on_review", review)
        if review.status != "no_conflict":
            raise ActionRefused(_("Scores can be entered after declaring no conflict of interest, until submitted."))
        require(
            actor,
            "grants.review_application",
            review.application,
            _(
                "You are now a member of an applying school, its school board or a partner of this application, "
                "so you can no longer read or score it."
            ),
        )
        criteria = {c.pk: c for c in review.application.scheme.criteria.all()}
        problems = []
        for criterion_id, score in scores.items():
            criterion = criteria.get(int(criterion_id))
            if criterion is None:
                problems.append(_("Unknown criterion."))
            elif score is not None and not 0 <= int(score) <= criterion.max_score:
                problems.append(
                    _("%(criterion)s: give a score from 0 to %(max)s.")
                    % {"criterion": criterion.name, "max": criterion.max_score}
                )
        if submit:
            missing = [c.name for pk, c in criteria.items() if scores.get(pk) is None and scores.get(str(pk)) is None]
            if missing:
                problems.append(
                    _("Score every criterion before submitting: %(missing)s.") % {"missing": ", ".join(missing)}
                )
            if not recommendation:
                problems.append(_("Choose a recommendation."))
        if problems:
            raise ActionRefused(problems)
        for criterion_id, score in scores.items():
            if score is None:
                ReviewScore.objects.filter(review=review, criterion_id=int(criterion_id)).delete()
            else:
                ReviewScore.objects.update_or_create(
                    review=review, criterion_id=int(criterion_id), defaults={"score": int(score)}
                )
        review.recommendation, review.comment = recommendation, comment
        review.save(update_fields=["recommendation", "comment"])
        if submit:
            perform(review, "submit", actor=actor, application=review.application)
    return review
