"""The application editor: one page per step, each saving the draft through one action.

A step binds what was posted; on an error the page is shown again with every value the
teacher typed (other rows of a formset included), the message next to its field.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from grants import money
from grants.models import Application
from grants.models.applications import requested_amount_for
from grants.models.fields import ZERO
from workflow.exceptions import ActionRefused
from workflow.states import PledgeStatus

from .. import actions, forms, selectors
from .common import back_url, signed_in, team_application


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    optional: bool = False


STEPS = (
    Step("plan", gettext_lazy("Plan")),
    Step("parties", gettext_lazy("Schools and partners")),
    Step("budget", gettext_lazy("Budget")),
    Step("cofunding", gettext_lazy("Co-funding")),
    Step("attachments", gettext_lazy("Attachments"), optional=True),
)
SLUGS = [step.slug for step in STEPS]


def minimum_cofunding(application: Application, budget_total: Decimal) -> Decimal:
    """The least co-funding that meets the scheme's ratio (`grants.money.minimum_cofunding`)."""
    return money.minimum_cofunding(budget_total, application.scheme.cofunding_ratio)


def _totals(application: Application) -> tuple[list, Decimal, Decimal]:
    """Budget lines, their total and the co-funding pledged, from the prefetched application."""
    lines = list(application.budget_lines.all())
    budget_total = sum((line.amount for line in lines), ZERO)
    pledged = sum((p.amount for p in application.pledges.all() if p.status != PledgeStatus.WITHDRAWN), ZERO)
    return lines, budget_total, pledged


def step_status(application: Application) -> dict[str, bool]:
    """Which steps are complete, from the prefetched application (no extra queries)."""
    scheme = application.scheme
    lines, budget_total, pledged = _totals(application)
    plan = (
        all(getattr(application, name).strip() for name in ("title", "summary", "goals"))
        and (not scheme.tracks or application.track in scheme.tracks)
        and application.project_start is not None
        and application.project_end is not None
    )
    return {
        "plan": plan,
        "parties": bool(list(application.schools.all())),
        "budget": bool(lines),
        "cofunding": bool(lines) and pledged >= minimum_cofunding(application, budget_total),
        "attachments": bool(list(application.attachments.all())),
    }


def figures(application: Application) -> dict:
    _lines, budget_total, pledged = _totals(application)
    return {
        "budget_total": budget_total,
        "pledged": pledged,
        "requested": requested_amount_for(budget_total, pledged),
        "minimum_cofunding": minimum_cofunding(application, budget_total),
        "maximum": application.scheme.max_per_application,
    }


def editor_context(application: Application, current: str) -> dict:
    done = step_status(application)
    steps = [{"slug": s.slug, "title": s.title, "optional": s.optional, "done": done[s.slug]} for s in STEPS]
    index = SLUGS.index(current) if current in SLUGS else len(SLUGS)
    return {
        "application": application,
        "scheme": application.scheme,
        "steps": steps,
        "current": current,
        "next_step": SLUGS[index + 1] if index + 1 < len(SLUGS) else None,
        "previous_step": SLUGS[index - 1] if 0 < index <= len(SLUGS) else None,
        "figures": figures(application),
        "back_url": back_url(application),
        "editable": actions.is_editable(application),
        "cofunding_words": selectors.cofunding_in_words(application.scheme.cofunding_ratio),
    }


def refuse_when_locked(request, application):
    """A page of an application that can no longer be changed: say so and go to its summary."""
    if actions.is_editable(application):
        return None
    messages.error(request, locked_message(application))
    return redirect("apply:summary", application.pk)


def locked_message(application) -> str:
    return _("This application can no longer be changed: its status is “%(status)s”.") % {
        "status": application.get_status_display()
    }


def saved(request, application, current: str):
    messages.success(request, _("Saved."))
    if "continue" in request.POST:
        index = SLUGS.index(current)
        if index + 1 < len(SLUGS):
            return redirect("apply:step", application.pk, SLUGS[index + 1])
        return redirect("apply:summary", application.pk)
    return redirect("apply:step", application.pk, current)


def add_refusal(form, refusal: ActionRefused):
    """Show the action's own refusal above the form (a formset's or a form's general errors)."""
    for message in refusal.messages:
        if isinstance(form, BaseFormSet):
            form.non_form_errors().append(message)
        else:
            form.add_error(None, message)


# --- The steps --------------------------------------------------------------------------------------


def _plan(request, application):
    if request.method == "POST":
        return forms.PlanForm(request.POST, scheme=application.scheme)
    return forms.PlanForm(initial=forms.PlanForm.initial_for(application), scheme=application.scheme)


def _save_plan(request, application, form):
    actions.application_save_plan(application=application, actor=request.user, **form.cleaned_data)


def _parties(request, application):
    if request.method == "POST":
        return forms.PartiesForm(request.POST, application=application)
    return forms.PartiesForm(initial=forms.PartiesForm.initial_for(application), application=application)


def _save_parties(request, application, form):
    actions.application_save_parties(
        application=application, actor=request.user, schools=form.chosen_schools(), partners=form.chosen_partners()
    )


def _budget(request, application):
    if request.method == "POST":
        return forms.BudgetFormSet(request.POST, prefix="lines")
    initial = [
        {"category": line.category, "description": line.description, "amount": line.amount}
        for line in application.budget_lines.all()
    ]
    return forms.BudgetFormSet(initial=initial, prefix="lines")


def _save_budget(request, application, formset):
    actions.application_save_budget(application=application, actor=request.user, lines=formset.rows())


def _open_pledges(application):
    return [p for p in application.pledges.all() if p.status == PledgeStatus.PLEDGED]


def _cofunding(request, application):
    choices = forms.PledgeForm.shared_choices(application)
    form_kwargs = {"application": application, "choices": choices, "team_emails": selectors.team_emails(application)}
    kwargs = {"prefix": "pledges", "form_kwargs": form_kwargs}
    if request.method == "POST":
        return forms.PledgeFormSet(request.POST, **kwargs)
    return forms.PledgeFormSet(initial=[forms.pledge_initial(p) for p in _open_pledges(application)], **kwargs)


def _save_cofunding(request, application, formset):
    saved = actions.application_save_pledges(application=application, actor=request.user, pledges=formset.pledges())
    if saved.answered_meanwhile:
        messages.info(
            request,
            _(
                "A co-funder answered its pledge while you were editing: that pledge stays as the co-funder "
                "answered it; everything else is saved."
            ),
        )


HANDLERS = {
    "plan": (_plan, _save_plan),
    "parties": (_parties, _save_parties),
    "budget": (_budget, _save_budget),
    "cofunding": (_cofunding, _save_cofunding),
}


@signed_in
@require_http_methods(["GET", "POST"])
def step(request, pk, step):
    if step not in HANDLERS:
        raise Http404
    application = team_application(request, pk, full=True)
    bind, save = HANDLERS[step]
    if request.method == "POST" and not actions.is_editable(application):
        # Someone of the team submitted (or the funder moved it on) while this page was open:
        # show what was typed with the reason, so that nothing is lost without a word.
        form = bind(request, application)
        form.is_valid()
        add_refusal(form, ActionRefused(locked_message(application)))
        return render(request, f"apply/step_{step}.html", step_context(application, step, form), status=409)
    locked = refuse_when_locked(request, application)
    if locked:
        return locked
    form = bind(request, application)
    if request.method == "POST" and form.is_valid():
        try:
            save(request, application, form)
        except ActionRefused as refusal:
            add_refusal(form, refusal)
        else:
            return saved(request, application, step)
    return render(request, f"apply/step_{step}.html", step_context(application, step, form))


def step_context(application, step: str, form) -> dict:
    context = editor_context(application, step)
    context["form"] = form
    if step == "cofunding":
        context["answered_pledges"] = [p for p in application.pledges.all() if p.status != PledgeStatus.PLEDGED]
    return context


@signed_in
@require_http_methods(["GET"])
def editor(request, pk):
    """The editor's entry: the first step that is not complete yet."""
    application = team_application(request, pk, full=True)
    locked = refuse_when_locked(request, application)
    if locked:
        return locked
    done = step_status(application)
    first_open = next((s.slug for s in STEPS if not done[s.slug] and not s.optional), None)
    if first_open is None:
        return redirect("apply:summary", application.pk)
    return redirect("apply:step", application.pk, first_open)
