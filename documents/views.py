"""Letters on the web: download (staff of the funder and the team), retry, correction and the
failures list (officers), and the progress partial of a bulk action. Objects of another funder or team, and
anonymous visitors: 404 (no login redirect that would confirm the letter exists)."""

from urllib.parse import urlsplit, urlunsplit

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grants.rules import roles_of
from workflow.states import LetterStatus, Role

from . import services
from .exceptions import LetterRefused
from .forms import LetterCorrectionForm
from .models import Letter


def _letter(request, pk) -> Letter:
    letter = get_object_or_404(Letter.objects.select_related(*services.LETTER_RELATED), pk=pk)
    if not request.user.has_perm("documents.see_letter", letter):
        raise Http404
    return letter


def _officer_funders(user) -> list[int]:
    return [funder for funder, roles in roles_of(user).items() if Role.OFFICER in roles]


@require_GET
def letter_download(request, pk):
    letter = _letter(request, pk)
    if not letter.pdf or letter.status not in (LetterStatus.RENDERED, LetterStatus.SENT):
        raise Http404
    filename = f"brief-{slugify(letter.reference)}.pdf"
    return FileResponse(letter.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


@require_POST
def letter_retry(request, pk):
    letter = _letter(request, pk)
    if not request.user.has_perm("documents.retry_letter", letter):
        raise Http404
    try:
        services.letter_retry(letter, request.user)
    except LetterRefused as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The letter %(reference)s is queued again.") % {"reference": letter.reference})
    return HttpResponseRedirect(_back_to(request))


def _back_to(request) -> str:
    """The page the retry came from (the form's `next`, else the Referer) as a path on this site, else
    the failures list. Never handed to redirect(), which takes a string without "/" for a URL name."""
    target = request.POST.get("next") or request.headers.get("referer") or ""
    allowed = {request.get_host()}
    if url_has_allowed_host_and_scheme(target, allowed, require_https=request.is_secure()):
        parts = urlsplit(target)
        path = urlunsplit(("", "", parts.path, parts.query, ""))
        # Checked again: the path of "https://this-site//elsewhere.example/" leads elsewhere.
        if path.startswith("/") and url_has_allowed_host_and_scheme(path, allowed):
            return path
    return reverse("documents:letter_failures")


@require_http_methods(["GET", "POST"])
def letter_correct(request, pk):
    """A sent letter is never changed: the officer gives the reason and a new version is sent."""
    letter = _letter(request, pk)
    if not request.user.has_perm("documents.correct_letter", letter):
        raise Http404
    form = LetterCorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.letter_correct(letter, request.user, reason=form.cleaned_data["reason"])
        except LetterRefused as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Version %(version)s of the letter %(reference)s is queued; the team receives it by e-mail.")
                % {"version": new.version, "reference": letter.reference},
            )
            return redirect("workbench:application", pk=letter.decision.application_id)
    return render(request, "documents/correct.html", {"letter": letter, "form": form})


@require_GET
def letter_failures(request):
    funders = _officer_funders(request.user)
    if not funders:
        raise Http404
    letters = (
        Letter.objects.filter(status=LetterStatus.FAILED, decision__application__scheme__funder_id__in=funders)
        .select_related("decision__application__scheme", "decision__application__team")
        .order_by("-created_at")[:200]
    )
    return render(request, "documents/failures.html", {"letters": letters})


@require_GET
def letter_progress(request):
    """htmx partial: 'n of N rendered, n of N sent'; answers 286 (htmx: stop polling) once all are done."""
    batch = request.GET.get("batch", "")
    funders = [funder for funder, roles in roles_of(request.user).items() if roles]
    letters = Letter.objects.filter(batch=batch, decision__application__scheme__funder_id__in=funders)
    if not batch or not funders:
        raise Http404
    progress = services.letter_progress(letters)
    if progress["total"] == 0:
        raise Http404
    response = render(request, "documents/partials/progress.html", {"progress": progress, "batch": batch})
    if progress["done"]:
        response.status_code = 286
    return response
