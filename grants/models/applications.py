"""Applications and their lifecycle.

The transitions are declared here because django-fsm needs them on the model. They
only change state and stamp fields; they never send, enqueue or look at the actor.
Call them only from ``workflow.actions``, which lock, check permission, audit and
schedule side effects.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from workflow.states import (
    DECISION_KINDS_OBJECTED_WHILE_RUNNING,
    OBJECTABLE_STATES,
    OBJECTABLE_WHILE_RUNNING_STATES,
    OVERTURNED_STATE,
    WITHDRAWABLE_STATES,
    ApplicationStatus,
    ObjectionStatus,
    PledgeStatus,
)

from .. import guards
from ..money import format_euro, required_cofunding
from ..terms import objection_period_end
from .fields import ZERO, MoneyField, non_negative
from .organisations import Organisation, Team
from .people import User
from .schemes import Scheme

S = ApplicationStatus


# Project dates, typed by the team, stay within these years: the dates computed from them (the
# longest duration, the reports' due dates, an extension's limit) then stay far from the end of
# the calendar, and a typo such as 20266 or 0206 is caught at once.
EARLIEST_PROJECT_DATE = datetime.date(2000, 1, 1)
LATEST_PROJECT_DATE = datetime.date(2100, 12, 31)


def validate_project_date(day: datetime.date) -> None:
    if not EARLIEST_PROJECT_DATE <= day <= LATEST_PROJECT_DATE:
        raise ValidationError(
            _("Enter a date from the year %(first)s up to and including %(last)s."),
            code="out_of_range",
            params={"first": EARLIEST_PROJECT_DATE.year, "last": LATEST_PROJECT_DATE.year},
        )


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Clamp to the month's last day (31 January + 1 month = 28/29 February).
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def requested_amount_for(budget_total: Decimal, pledged: Decimal) -> Decimal:
    """What a team asks of the fund: its budget total minus the co-funding pledged, never below zero."""
    return max(budget_total - pledged, ZERO)


# The guards of an objection while the project runs (from `active` and from `final_report_submitted`).
OBJECTING_DURING_PROJECT = [
    guards.objection_against_a_running_projects_decision,
    guards.objection_not_yet_decided,
    guards.no_objection_open,
    guards.within_objection_period,
]


class Application(FSMModelMixin, models.Model):
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="applications", verbose_name=gettext_lazy("scheme")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="applications", verbose_name=gettext_lazy("team")
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("created by")
    )
    reference = models.CharField(gettext_lazy("reference"), max_length=30, blank=True)
    status = FSMField(gettext_lazy("status"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)

    title = models.CharField(gettext_lazy("title"), max_length=200, blank=True)
    summary = models.TextField(gettext_lazy("summary"), blank=True)
    goals = models.TextField(gettext_lazy("goals"), blank=True)
    # Text, not a sized column: a team's choice is one of its scheme's options, and a scheme saved
    # before options were limited to OPTION_MAX_LENGTH may still hold a longer one.
    track = models.TextField(gettext_lazy("track"), blank=True)
    learning_area = models.TextField(gettext_lazy("learning area"), blank=True)
    schools = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="applications",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
        verbose_name=gettext_lazy("participating schools"),
    )
    partners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partner_applications",
        verbose_name=gettext_lazy("partners"),
    )
    project_start = models.DateField(gettext_lazy("project start"), null=True, blank=True)
    project_end = models.DateField(gettext_lazy("project end"), null=True, blank=True)

    requested_amount = MoneyField(gettext_lazy("requested amount"), default=ZERO)
    awarded_amount = MoneyField(gettext_lazy("awarded amount"), null=True, blank=True)
    settled_amount = MoneyField(gettext_lazy("settled amount"), null=True, blank=True)

    submitted_at = models.DateTimeField(gettext_lazy("submitted at"), null=True, blank=True)
    decision_due_date = models.DateField(gettext_lazy("decision due date"), null=True, blank=True)
    term_paused_on = models.DateField(gettext_lazy("decision term paused on"), null=True, blank=True)
    term_extended_on = models.DateField(gettext_lazy("decision term extended on"), null=True, blank=True)
    eligibility_confirmed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("eligibility confirmed at")
    )
    eligibility_confirmed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("eligibility confirmed by"),
    )
    decided_at = models.DateTimeField(gettext_lazy("decided at"), null=True, blank=True)
    status_before_objection = models.CharField(
        max_length=30, choices=S.choices, blank=True, verbose_name=gettext_lazy("status before objection")
    )
    # Awarded or active: where an objection that undoes the revocation returns the application to.
    status_before_revocation = models.CharField(
        max_length=30, choices=S.choices, blank=True, verbose_name=gettext_lazy("status before revocation")
    )

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("application")
        verbose_name_plural = gettext_lazy("applications")
        ordering = ["-created_at"]
        constraints = [
            *non_negative("application", "requested_amount", "awarded_amount", "settled_amount"),
            models.UniqueConstraint(
                fields=["reference"], condition=~models.Q(reference=""), name="application_unique_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(project_end__isnull=True)
                | models.Q(project_start__isnull=True)
                | models.Q(project_end__gt=models.F("project_start")),
                name="application_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["scheme", "status"]), models.Index(fields=["decision_due_date"])]

    def __str__(self):
        return f"{self.reference or _('draft')} · {self.title or _('(untitled)')}"

    # --- Cheap figures -------------------------------------------------------------------
    @property
    def funder(self):
        return self.scheme.funder

    def budget_total(self) -> Decimal:
        return self.budget_lines.aggregate(total=Sum("amount"))["total"] or ZERO

    def derived_requested_amount(self) -> Decimal:
        return requested_amount_for(self.budget_total(), self.pledged_cofunding())

    def pledged_cofunding(self) -> Decimal:
        pledges = self.pledges.exclude(status=PledgeStatus.WITHDRAWN)
        return pledges.aggregate(total=Sum("amount"))["total"] or ZERO

    def confirmed_cofunding(self) -> Decimal:
        pledges = self.pledges.filter(status=PledgeStatus.CONFIRMED)
        return pledges.aggregate(total=Sum("amount"))["total"] or ZERO

    def required_cofunding(self, amount: Decimal | None = None) -> Decimal:
        """Rounded up to the cent, so meeting it exactly never lowers the grant at settlement."""
        base = amount if amount is not None else (self.awarded_amount or self.requested_amount)
        return required_cofunding(base, self.scheme.cofunding_ratio)

    @cached_property
    def open_information_request(self):
        return self.information_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()

    @property
    def decision_days_left(self) -> int | None:
        """Days left in the decision term; frozen while information is requested."""
        if self.decision_due_date is None:
            return None
        reference_day = self.term_paused_on or timezone.localdate()
        return (self.decision_due_date - reference_day).days

    @property
    def objectable_decision(self):
        """The latest decision with a letter that is open to objection (the one an objection is against)."""
        return objectable(self.decisions.all()).order_by("-letter_date", "-pk").first()

    @property
    def objection_transition(self) -> str:
        """Which transition lodges an objection against the objectable decision.

        A decision on the extension, and the award of a project the team has started, are
        objected to while the project runs, without moving its status (`object_during_project`);
        every other decision through the `objection` state.
        """
        decision = self.objectable_decision
        if decision is None or decision.kind not in DECISION_KINDS_OBJECTED_WHILE_RUNNING:
            return "object"
        if decision.kind == "award" and self.status not in OBJECTABLE_WHILE_RUNNING_STATES:
            return "object"  # not started yet: through the `objection` state, as any award
        return "object_during_project"

    @property
    def objection_deadline(self) -> datetime.date | None:
        decision = self.objectable_decision
        term_from = decision.objection_term_from() if decision else None
        return objection_period_end(term_from) if term_from else None

    @property
    def is_final_decision(self) -> bool:
        """The latest decision can no longer be objected to (onherroepelijk): its six weeks passed."""
        deadline = self.objection_deadline
        if deadline is None or self.status == S.OBJECTION or timezone.localdate() <= deadline:
            return False
        return not self.objections.filter(status=ObjectionStatus.OPEN).exists()  # one against an extension decision

    @property
    def final_report_due_date(self) -> datetime.date | None:
        if self.project_end is None:
            return None
        return self.project_end + datetime.timedelta(weeks=self.scheme.final_report_weeks)

    def completeness_problems(self) -> list[str]:
        """Everything that keeps this draft from being submitted, in the applicant's words."""
        problems = []
        scheme = self.scheme
        for field in ("title", "summary", "goals"):
            if not getattr(self, field).strip():
                problems.append(
                    _("%(field)s is required.") % {"field": self._meta.get_field(field).verbose_name.capitalize()}
                )
        if scheme.tracks and self.track not in scheme.tracks:
            problems.append(_("Choose one of the scheme's tracks."))
        if self.pk is None or not self.schools.exists():
            problems.append(_("Add at least one participating school."))
        if self.project_start is None or self.project_end is None:
            problems.append(_("Enter the project's start and end dates."))
        elif add_months(self.project_start, scheme.max_project_months) < self.project_end:
            problems.append(
                _("A project in this scheme may last at most %(months)s months.")
                % {"months": scheme.max_project_months}
            )
        if self.pk is None or not self.budget_lines.exists():
            problems.append(_("Add at least one budget line."))
            return problems
        total, pledged = self.budget_total(), self.pledged_cofunding()
        if pledged > total:  # the request would be below zero: say so, not that it must be above € 0
            problems.append(
                _(
                    "The co-funding pledged (%(pledged)s) is more than the budget total (%(total)s): "
                    "lower the pledges or add the costs they pay for."
                )
                % {"pledged": format_euro(pledged), "total": format_euro(total)}
            )
            return problems
        if self.requested_amount <= 0:
            problems.append(_("The requested amount must be more than € 0."))
        if self.requested_amount > scheme.max_per_application:
            problems.append(
                _("The requested amount %(amount)s is above the scheme's maximum of %(maximum)s.")
                % {"amount": format_euro(self.requested_amount), "maximum": format_euro(scheme.max_per_application)}
            )
        expected = requested_amount_for(total, pledged)
        if self.requested_amount != expected:
            problems.append(
                _("The requested amount must equal the budget total minus co-funding: %(expected)s.")
                % {"expected": format_euro(expected)}
            )
        return problems

    # --- Transitions -----------------------------------------------------------------------
    @transition(
        field=status,
        source=S.DRAFT,
        target=S.SUBMITTED,
        conditions=[guards.scheme_is_open, guards.application_is_complete, guards.schools_are_eligible],
    )
    def submit(self):
        now = timezone.now()
        self.submitted_at = now
        self.decision_due_date = timezone.localdate(now) + datetime.timedelta(weeks=self.scheme.decision_term_weeks)
        if not self.reference:
            self.reference = f"{self.scheme.reference_prefix}-{now.year}-{self.pk:05d}"

    @transition(field=status, source=S.SUBMITTED, target=S.INFO_REQUESTED)
    def request_info(self):
        # The decision term stops while the team gathers the missing information (Awb 4:15).
        self.term_paused_on = timezone.localdate()

    @transition(
        field=status,
        source=S.INFO_REQUESTED,
        target=S.SUBMITTED,
        conditions=[guards.application_is_complete],
    )
    def resubmit(self):
        self._resume_term()

    @transition(
        field=status,
        source=S.INFO_REQUESTED,
        target=S.NOT_CONSIDERED,
        conditions=[guards.information_term_passed],
    )
    def lapse(self):
        self._resume_term()
        self.decided_at = timezone.now()

    @transition(field=status, source=S.SUBMITTED, target=S.REJECTED)
    def declare_ineligible(self):
        self.decided_at = timezone.now()

    @transition(
        field=status,
        source=S.SUBMITTED,
        target=S.IN_REVIEW,
        conditions=[guards.eligibility_confirmed, guards.reviewers_assigned],
    )
    def start_review(self):
        pass

    @transition(field=status, source=S.IN_REVIEW, target=S.REVIEWED, conditions=[guards.reviews_complete])
    def complete_review(self):
        pass

    @transition(field=status, source=S.REVIEWED, target=S.COFUNDING_CHECK)
    def check_cofunding(self):
        pass

    @transition(field=status, source=S.COFUNDING_CHECK, target=S.AWARDED)
    def award(self, amount: Decimal):
        self.awarded_amount = amount
        self.decided_at = timezone.now()

    @transition(field=status, source=[S.REVIEWED, S.COFUNDING_CHECK], target=S.REJECTED)
    def reject(self):
        self.decided_at = timezone.now()

    @transition(field=status, source=S.AWARDED, target=S.ACTIVE, conditions=[guards.project_period_begun])
    def start(self):
        pass

    @transition(
        field=status,
        source=S.ACTIVE,
        target=S.EXTENSION_REQUESTED,
        conditions=[guards.extension_still_possible],
    )
    def request_extension(self):
        pass

    @transition(field=status, source=S.EXTENSION_REQUESTED, target=S.ACTIVE)
    def grant_extension(self, new_end: datetime.date, extra_amount: Decimal = ZERO):
        self._prolong(new_end, extra_amount)

    def _prolong(self, new_end: datetime.date, extra_amount: Decimal) -> None:
        self.project_end = new_end
        self.awarded_amount = (self.awarded_amount or ZERO) + extra_amount

    @transition(field=status, source=S.EXTENSION_REQUESTED, target=S.ACTIVE)
    def deny_extension(self):
        pass

    @transition(field=status, source=S.ACTIVE, target=S.FINAL_REPORT_SUBMITTED)
    def submit_final_report(self):
        pass

    @transition(field=status, source=S.FINAL_REPORT_SUBMITTED, target=S.ACTIVE)
    def return_report(self):
        pass

    @transition(
        field=status,
        source=[S.FINAL_REPORT_SUBMITTED, S.ACTIVE],
        target=S.SETTLED,
        conditions=[guards.final_report_overdue_or_submitted],
    )
    def settle(self, amount: Decimal):
        self.settled_amount = amount
        self.decided_at = timezone.now()

    @transition(field=status, source=S.SETTLED, target=S.CLOSED, conditions=[guards.file_can_be_closed])
    def close(self):
        pass

    @transition(
        field=status,
        source=list(OBJECTABLE_STATES),
        target=S.OBJECTION,
        conditions=[guards.objection_not_yet_decided, guards.within_objection_period],
    )
    def object(self):
        self.status_before_objection = self.status

    @transition(
        field=status,
        source=S.OBJECTION,
        target=RETURN_VALUE(*OBJECTABLE_STATES),
        conditions=[guards.decision_under_objection],
    )
    def uphold(self):
        previous, self.status_before_objection = self.status_before_objection, ""
        return previous

    @transition(
        field=status,
        source=S.OBJECTION,
        target=RETURN_VALUE(*sorted(set(OVERTURNED_STATE.values()))),
        conditions=[guards.decision_under_objection],
    )
    def overturn(self, amount: Decimal | None = None):
        """Replace the decision objected to (Awb 7:11), never to the objector's detriment.

        A rejection becomes an award of `amount` (default: the requested amount); an award
        objected to stays an award, raised to `amount` (the action checks it is higher); a
        settlement is settled again at `amount`; a revocation undone returns the grant to the
        state it was revoked in.
        """
        previous, self.status_before_objection = self.status_before_objection, ""
        target = OVERTURNED_STATE[previous]
        if previous == S.REVOKED:  # back to where the revocation found it (active when not recorded)
            target = self.status_before_revocation or target
            self.status_before_revocation = ""
        if previous in (S.REJECTED, S.AWARDED):
            self.awarded_amount = amount if amount is not None else self.requested_amount
            self.decided_at = timezone.now()
        elif previous == S.SETTLED and amount is not None:
            self.settled_amount = amount
            self.decided_at = timezone.now()
        return target

    # An objection against the award or a decision on the extension leaves the project running: the three
    # transitions keep the status (self-loops), so reports, the final report and the audit trail
    # go on as before; the `Objection` row (open, upheld, overturned) is what changes.
    @transition(field=status, source=S.ACTIVE, target=S.ACTIVE, conditions=OBJECTING_DURING_PROJECT)
    @transition(
        field=status,
        source=S.FINAL_REPORT_SUBMITTED,
        target=S.FINAL_REPORT_SUBMITTED,
        conditions=OBJECTING_DURING_PROJECT,
    )
    def object_during_project(self):
        pass

    @transition(field=status, source=S.ACTIVE, target=S.ACTIVE, conditions=[guards.objection_while_running_open])
    @transition(
        field=status,
        source=S.FINAL_REPORT_SUBMITTED,
        target=S.FINAL_REPORT_SUBMITTED,
        conditions=[guards.objection_while_running_open],
    )
    def uphold_during_project(self):
        pass

    @transition(field=status, source=S.ACTIVE, target=S.ACTIVE, conditions=[guards.objection_while_running_open])
    def overturn_during_project(
        self, new_end: datetime.date | None = None, extra_amount: Decimal = ZERO, amount: Decimal | None = None
    ):
        """Replace the decision objected to while the project runs (Awb 7:11): a refused extension
        is granted as the team asked (`new_end`, `extra_amount`); an award is raised to `amount`."""
        if new_end is not None:
            self._prolong(new_end, extra_amount)
        if amount is not None:
            self.awarded_amount = amount
            self.decided_at = timezone.now()

    @transition(field=status, source=list(WITHDRAWABLE_STATES), target=S.WITHDRAWN)
    def withdraw(self):
        self._resume_term()

    @transition(field=status, source=[S.AWARDED, S.ACTIVE], target=S.REVOKED)
    def revoke(self):
        self.status_before_revocation = self.status
        self.decided_at = timezone.now()

    def _resume_term(self):
        if self.term_paused_on and self.decision_due_date:
            self.decision_due_date += timezone.localdate() - self.term_paused_on
        self.term_paused_on = None


OBJECTABLE_DECISION_KINDS = (
    "not_considered",
    "ineligible",
    "award",
    "rejection",
    "ceiling_rejection",
    "settlement",
    "revocation",
    "extension_granted",
    "extension_denied",
    # A recovery (Awb 4:57) is a besluit of its own; objected to, it is decided as the objection against
    # the settlement it follows (the `objection` state from `settled`). One that a decision on objection
    # took (`data.on_objection`) is part of that decision: appeal, not objection.
    "recovery",
)


def is_objectable(decision) -> bool:
    """The decision's letter opens the objection period (`objectable`'s rule for one loaded decision)."""
    return decision.kind in OBJECTABLE_DECISION_KINDS and not (decision.data or {}).get("on_objection")


def objectable(decisions):
    """`decisions` (a queryset) narrowed to those with a letter that opens the objection period."""
    return decisions.filter(letter_date__isnull=False, kind__in=OBJECTABLE_DECISION_KINDS).exclude(
        data__has_key="on_objection", data__on_objection=True
    )


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        PERSONNEL = "personnel", gettext_lazy("Personnel")
        MATERIALS = "materials", gettext_lazy("Materials")
        TRAINING = "training", gettext_lazy("Training")
        CULTURAL_FEES = "cultural_fees", gettext_lazy("Fees of cultural providers")
        OTHER = "other", gettext_lazy("Other")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=gettext_lazy("application")
    )
    category = models.CharField(gettext_lazy("category"), max_length=20, choices=Category.choices)
    description = models.CharField(gettext_lazy("description"), max_length=200)
    amount = MoneyField(gettext_lazy("amount"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=gettext_lazy("position"))

    class Meta:
        verbose_name = gettext_lazy("budget line")
        verbose_name_plural = gettext_lazy("budget lines")
        ordering = ["application", "position", "pk"]
        constraints = non_negative("budget_line", "amount")

    def __str__(self):
        return f"{self.get_category_display()}: {self.description}"


class Attachment(models.Model):
    """An uploaded file, checked by content and size, stored outside the web root."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=gettext_lazy("application")
    )
    file = models.FileField(upload_to="attachments/%Y/%m/", verbose_name=gettext_lazy("file"))
    original_name = models.CharField(gettext_lazy("file name"), max_length=255)
    content_type = models.CharField(max_length=100, verbose_name=gettext_lazy("file type"))
    size = models.PositiveIntegerField(verbose_name=gettext_lazy("size"))
    sha256 = models.CharField(max_length=64, verbose_name=gettext_lazy("SHA-256"))
    description = models.CharField(gettext_lazy("description"), max_length=200, blank=True)
    # Set when the file belongs to an interim or final report rather than to the application itself.
    report = models.ForeignKey(
        "grants.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=gettext_lazy("report"),
    )
    # None: uploaded without an account, by a co-funder through its personal link (see the audit event).
    uploaded_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("uploaded at"))

    class Meta:
        verbose_name = gettext_lazy("attachment")
        verbose_name_plural = gettext_lazy("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class InformationRequest(models.Model):
    """The officer's request for missing information (Awb 4:5) and the team's answer."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="information_requests",
        verbose_name=gettext_lazy("application"),
    )
    message = models.TextField(gettext_lazy("what is missing"))
    due_date = models.DateField(gettext_lazy("answer before"))
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=gettext_lazy("requested by")
    )
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("requested at"))
    answer = models.TextField(gettext_lazy("answer"), blank=True)
    answered_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("answered by"),
    )
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("answered at"))

    class Meta:
        verbose_name = gettext_lazy("information request")
        verbose_name_plural = gettext_lazy("information requests")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.application} · {date_format(self.due_date, 'j F Y')}"
