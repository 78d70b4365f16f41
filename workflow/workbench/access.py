"""Who may open which workbench page: per funder roles, 404 for another funder's objects.

Pages check the role the user holds at the funder the object belongs to; an object of
a funder where the user holds no staff role is answered with 404, so its existence
does not leak. Actions check their own permission again (``require``) inside.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from grants.models import Application, Funder
from grants.rules import roles_of
from workflow.states import Role

STAFF_ROLES = frozenset({Role.OFFICER, Role.DECIDER, Role.FINANCE, Role.ADMIN})
OFFICER = frozenset({Role.OFFICER})
DECIDER = frozenset({Role.DECIDER})
# An application's money page (finance:application): its officers, finance staff and deciders.
# Here, beside the workbench's own roles, so the page and the links to it ask the same question.
MONEY_PAGE_ROLES = frozenset({Role.OFFICER, Role.FINANCE, Role.DECIDER})


def login_url() -> str:
    try:
        return reverse(settings.LOGIN_URL)
    except NoReverseMatch:
        return "/admin/login/"


def signed_in(view):
    """Like `login_required`, but sends anonymous users to whatever sign-in page exists."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url())
        return view(request, *args, **kwargs)

    return wrapper


def roles_at(user, funder_or_id) -> set[str]:
    funder_id = getattr(funder_or_id, "pk", funder_or_id)
    return roles_of(user).get(funder_id, set())


def require_roles(user, funder, allowed) -> set[str]:
    """404 when the user holds no staff role at `funder`; 403 when none of `allowed`."""
    held = roles_at(user, funder)
    if not held & STAFF_ROLES and not held & allowed:
        raise Http404
    if not held & allowed:
        raise PermissionDenied
    return held


def staff_funders(user) -> list[Funder]:
    ids = [funder_id for funder_id, held in roles_of(user).items() if held & STAFF_ROLES]
    return list(Funder.objects.filter(pk__in=ids).order_by("name"))


def current_funder(request) -> tuple[Funder, list[Funder]]:
    """The funder the staff member works for now (?funder=<slug>), and the ones to pick from."""
    funders = staff_funders(request.user)
    if not funders:
        raise PermissionDenied
    slug = request.GET.get("funder") or request.POST.get("funder") or request.session.get("workbench_funder")
    funder = next((f for f in funders if f.slug == slug), None)
    if funder is None:
        if request.GET.get("funder") or request.POST.get("funder"):
            raise Http404
        funder = funders[0]
    request.session["workbench_funder"] = funder.slug
    return funder, funders


def staff_application(request, pk, allowed=STAFF_ROLES) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("scheme__funder", "team").exclude(status="draft"), pk=pk
    )
    require_roles(request.user, application.scheme.funder_id, allowed)
    return application
