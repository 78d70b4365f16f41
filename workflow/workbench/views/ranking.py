"""Ranking rounds on the workbench: the ranked list with its cut line, prepare and decide."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants.models import AllocationMethod, Scheme
from workflow.actions.ranking import ranking_preview, ranking_round_decide, ranking_round_prepare
from workflow.exceptions import ActionRefused
from workflow.models import RankingRound
from workflow.states import Role

from ..access import DECIDER, OFFICER, STAFF_ROLES, require_roles, signed_in


def _scheme(request, pk, allowed) -> tuple[Scheme, set]:
    scheme = get_object_or_404(
        Scheme.objects.select_related("funder").filter(allocation_method=AllocationMethod.RANKING), pk=pk
    )
    return scheme, require_roles(request.user, scheme.funder_id, allowed)


@signed_in
def ranking_page(request, pk):
    scheme, held = _scheme(request, pk, STAFF_ROLES)
    rounds = list(RankingRound.objects.filter(scheme=scheme).select_related("prepared_by", "decided_by")[:10])
    current = next((r for r in rounds if r.status != RankingRound.Status.CANCELLED), None)
    preview = None if current else ranking_preview(scheme)
    rows = current.ranking if current else preview["rows"]
    context = {
        "scheme": scheme,
        "funder": scheme.funder,
        "round": current,
        "rounds": rounds,
        "rows": rows,
        "above": sum(1 for row in rows if row["above_line"]),
        "available": current.available_budget if current else preview["available"],
        "is_officer": Role.OFFICER in held,
        "is_decider": Role.DECIDER in held,
    }
    return render(request, "workbench/ranking.html", context)


@signed_in
@require_POST
def ranking_prepare(request, pk):
    scheme, _held = _scheme(request, pk, OFFICER)
    try:
        ranking_round_prepare(scheme=scheme, actor=request.user)
    except ActionRefused as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Ranking round prepared; a decider can now take it."))
    return redirect("workbench:ranking", pk=scheme.pk)


@signed_in
@require_POST
def ranking_decide(request, pk, round_pk):
    scheme, _held = _scheme(request, pk, DECIDER)
    ranking_round = get_object_or_404(RankingRound, pk=round_pk, scheme=scheme)
    try:
        ranking_round_decide(ranking_round=ranking_round, actor=request.user)
    except ActionRefused as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Ranking round decided; the letters are queued."))
    return redirect("workbench:ranking", pk=scheme.pk)
