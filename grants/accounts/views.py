from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from grants.rules import roles_of

from .teams import teams_of


@login_required
def home(request):
    """Send each user to where their work is: teams to their applications, staff to the workbench."""
    if teams_of(request.user).exists():
        return redirect("portal:index")
    if roles_of(request.user):
        return redirect("workbench:dashboard")
    return redirect("apply:schemes")
