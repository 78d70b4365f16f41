"""What every apply page shares: sign-in, the team's application (404 for anyone else), the way back."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from grants.models import Application
from workflow.workbench.access import signed_in  # noqa: F401 - sends anonymous users to sign in

from .. import selectors


def pk_or_404(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def team_application(request, pk, *, full=False) -> Application:
    """The application if the user is a member of its team; 404 otherwise (no existence leak)."""
    pk = pk_or_404(pk)
    if full:
        try:
            application = selectors.application_for_editor(pk)
        except Application.DoesNotExist:
            raise Http404 from None
    else:
        application = get_object_or_404(Application.objects.select_related("scheme__funder", "team"), pk=pk)
    if not request.user.has_perm("grants.edit_application", application):
        raise Http404
    return application


def back_url(application) -> str:
    """The team's page of this application in the portal."""
    return reverse("portal:application", args=[application.pk])
