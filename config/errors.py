"""The 403 and 404 handlers: Django's, except that only a reason the project wrote reaches the page.

Django puts any exception's message in the template (`exception`), also its own technical ones; here
the template gets `reason` only from a `grants.exceptions.ReasonForReader`. 400 and 500 are
Django's handlers with our templates (400.html gets no exception text; 500.html no context at all).
"""

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from grants.exceptions import ReasonForReader


def _reason(exception) -> str:
    return str(exception) if isinstance(exception, ReasonForReader) else ""


@requires_csrf_token
def page_not_found(request, exception):
    return render(request, "404.html", {"reason": _reason(exception)}, status=404)


@requires_csrf_token
def permission_denied(request, exception):
    return render(request, "403.html", {"reason": _reason(exception)}, status=403)
