"""The open schemes, one scheme's page, and starting an application for the active team."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents.letters import render_markdown
from grants.accounts.teams import active_team
from grants.models import Scheme
from workflow import actions
from workflow.exceptions import ActionRefused
from workflow.states import ApplicationStatus

from .. import selectors
from .common import pk_or_404, signed_in


def _with_figures(scheme):
    scheme.remaining = selectors.remaining(scheme)
    scheme.cofunding_words = selectors.cofunding_in_words(scheme.cofunding_ratio)
    return scheme


# The open schemes are public: a teacher reads them before registering a team.
@require_GET
def scheme_list(request):
    schemes = [_with_figures(scheme) for scheme in selectors.open_schemes()]
    return render(request, "apply/schemes.html", {"schemes": schemes, "team": active_team(request)})


@require_GET
def scheme_detail(request, pk):
    published = selectors.schemes_with_figures().filter(opens_on__lte=timezone.localdate())
    scheme = _with_figures(get_object_or_404(published, pk=pk_or_404(pk)))
    team = active_team(request)
    drafts = []
    if team is not None:
        drafts = list(
            team.applications.filter(scheme=scheme, status=ApplicationStatus.DRAFT).order_by("-created_at")[:10]
        )
    context = {
        "scheme": scheme,
        # The letters' Markdown: raw HTML shown as text, no images, unsafe links refused.
        "text": render_markdown(scheme.text),
        "team": team,
        "drafts": drafts,
        "is_open": scheme.is_open(),
    }
    return render(request, "apply/scheme.html", context)


@signed_in
@require_POST
def application_start(request, pk):
    scheme = get_object_or_404(Scheme.objects.select_related("funder"), pk=pk_or_404(pk))
    team = active_team(request)
    if team is None:
        messages.error(
            request,
            _(
                "You are not a member of a teacher team yet. Ask your team's contact person for an invitation, "
                "or register your team."
            ),
        )
        return redirect("apply:scheme", scheme.pk)
    if not scheme.is_open():
        messages.error(request, _("This scheme does not accept applications now."))
        return redirect("apply:scheme", scheme.pk)
    try:
        application, created = actions.application_open_draft(team=team, scheme=scheme, actor=request.user)
    except ActionRefused as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("apply:scheme", scheme.pk)
    if not created:
        messages.info(
            request,
            _("Your team already has an empty draft application for %(scheme)s; you continue in that one.")
            % {"scheme": scheme},
        )
    else:
        messages.success(
            request,
            _("Your draft application for %(scheme)s is ready. It is saved at every step.") % {"scheme": scheme},
        )
    return redirect("apply:step", application.pk, "plan")
