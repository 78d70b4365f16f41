"""The reviewer's side: an inbox, the conflict-of-interest declaration, then the scoring form.

Until the reviewer declares that they have no conflict of interest, the page shows the
application's reference and title and who is involved (team, schools and boards, partners,
co-funders: by name, to declare against), not its plan or budget. A reviewer sees the history of
their own review, never the application's audit trail.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants.models import AuditEvent, Review
from grants.rules import roles_of
from grants.selectors import reviews_for_reviewer
from workflow import actions
from workflow.exceptions import ActionRefused
from workflow.states import REVIEW_SHOWS_APPLICATION_STATES, ReviewStatus, Role

from ..access import signed_in
from ..forms import ConflictForm, ScoreForm


def _own_review(request, pk) -> Review:
    review = get_object_or_404(Review.objects.select_related("application__scheme__funder", "application__team"), pk=pk)
    if review.reviewer_id != request.user.pk:
        raise Http404
    return review


@signed_in
def review_inbox(request):
    if not any(Role.REVIEWER in held for held in roles_of(request.user).values()):
        raise PermissionDenied
    reviews = list(reviews_for_reviewer(user=request.user))
    return render(request, "workbench/review_inbox.html", {"reviews": reviews})


def _parties(application) -> dict:
    """Who is involved, by name only: what a reviewer needs to know to declare (no) conflict of interest."""
    schools = application.schools.select_related("board").order_by("name")
    pledges = application.pledges.select_related("cofunder").order_by("cofunder__name")
    return {
        "team": application.team.name,
        "schools": [(school.name, school.board.name if school.board else "") for school in schools],
        "partners": [partner.name for partner in application.partners.order_by("name")],
        "cofunders": sorted({pledge.cofunder.name for pledge in pledges}),
    }


def _own_review_events(review) -> list:
    """The history of this review only. The application's audit trail is not for reviewers: it names
    the other reviewers, their conflicts and scores, and the team's bank details and payments."""
    return list(
        AuditEvent.objects.filter(subject_type=ContentType.objects.get_for_model(Review), subject_id=review.pk)
        .select_related("actor", "subject_type")
        .order_by("-created_at", "-pk")
    )


def _context(request, review, score_form=None, conflict_form=None):
    application = review.application
    context = {"review": review, "application": application, "conflict_form": conflict_form or ConflictForm()}
    if review.status == ReviewStatus.ASSIGNED:
        context["parties"] = _parties(application)
    if review.status in REVIEW_SHOWS_APPLICATION_STATES and not request.user.has_perm(
        "grants.review_application", application
    ):
        # Declared no conflict, but a member of an applying school, its board or a partner since: the rules
        # (`may_review`) refuse the plan and its files, so the page shows neither and asks for the declaration.
        context["member_of_a_party"] = True
    elif review.status in REVIEW_SHOWS_APPLICATION_STATES:
        criteria = list(application.scheme.criteria.all())
        context.update(
            criteria=criteria,
            score_form=score_form or ScoreForm(review=review, criteria=criteria),
            schools=list(application.schools.all()),
            partners=list(application.partners.all()),
            budget_lines=list(application.budget_lines.all()),
            # Readable once no conflict is declared, as `apply:attachment_download` allows; not a report's files.
            attachments=list(application.attachments.filter(report__isnull=True)),
            scores={s.criterion_id: s.score for s in review.scores.all()},
            audit_events=_own_review_events(review),
        )
    return context


@signed_in
def review_detail(request, pk):
    review = _own_review(request, pk)
    return render(request, "workbench/review.html", _context(request, review))


@signed_in
@require_POST
def review_action(request, pk, action):
    review = _own_review(request, pk)
    score_form = conflict_form = None
    try:
        if action == "no_conflict":
            actions.review_declare_no_conflict(review=review, actor=request.user)
            messages.success(request, _("Thank you. You can now read the application and score it."))
        elif action == "conflict":
            conflict_form = ConflictForm(request.POST)
            if not conflict_form.is_valid():
                raise ActionRefused([])
            actions.review_declare_conflict(
                review=review, actor=request.user, reason=conflict_form.cleaned_data["reason"]
            )
            messages.success(request, _("Conflict of interest recorded; you no longer review this application."))
            return redirect("workbench:review_inbox")
        elif action == "scores":
            criteria = list(review.application.scheme.criteria.all())
            score_form = ScoreForm(request.POST, review=review, criteria=criteria)
            if not score_form.is_valid():
                raise ActionRefused([])
            submit = "submit" in request.POST
            actions.review_save_scores(
                review=review,
                actor=request.user,
                scores=score_form.scores(),
                recommendation=score_form.cleaned_data["recommendation"],
                comment=score_form.cleaned_data["comment"],
                submit=submit,
            )
            messages.success(request, _("Review submitted.") if submit else _("Draft saved."))
        else:
            raise Http404
    except ActionRefused as refusal:
        form = score_form or conflict_form
        for message in refusal.messages:
            if form is not None:
                form.add_error(None, message)
            else:
                messages.error(request, message)
        if form is not None:
            review.refresh_from_db()
            context = _context(request, review, score_form=score_form, conflict_form=conflict_form)
            return render(request, "workbench/review.html", context, status=422)
    return redirect("workbench:review", pk=review.pk)
