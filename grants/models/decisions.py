"""Decisions, reports, extensions and objections: what happens after review."""

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from grants.money import format_euro
from workflow.states import (
    DECISION_ADVICE_LABELS,
    OPEN_REPORT_STATES,
    DecisionKind,
    DecisionStatus,
    ExtensionStatus,
    ObjectionStatus,
    ReportStatus,
)

from .applications import Application, Attachment, BudgetLine
from .fields import MoneyField, non_negative
from .people import User


class Decision(models.Model):
    """One act of the funder that reaches the team as a letter.

    An officer prepares it; for the decisions that need four eyes a decider takes
    it. ``letter_date`` is the date on the letter, from which the objection period runs (or from the
    day the letter went out, when that was later: `objection_term_from`).
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DecisionKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PREPARED
    )
    amount = MoneyField(_("amount"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    conditions = models.TextField(_("conditions and obligations"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))
    prepared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by"))
    prepared_at = models.DateTimeField(default=timezone.now, verbose_name=_("prepared at"))
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    letter_date = models.DateField(_("letter date"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["application", "prepared_at", "pk"]
        constraints = [
            *non_negative("decision", "amount"),
            # At most one prepared decision waits for a decider per application.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status="prepared", kind__in=["award", "rejection"]),
                name="one_prepared_decision_per_application",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.application}"

    def objection_term_from(self):
        """The day the objection period runs from: the letter's date, or the day its first version went
        out when that was later (a failed send retried days on). Awb 6:8 starts the period the day after
        the decision was made known, so a team writing in time by that day is not refused as late.
        Reads `self.letters.all()`, so a prefetch of the letters serves it."""
        if self.letter_date is None:
            return None
        sent = [letter.sent_at for letter in self.letters.all() if letter.sent_at]
        return max(self.letter_date, timezone.localdate(min(sent))) if sent else self.letter_date

    @property
    def label(self) -> str:
        """What staff read: the kind once a decider took it; before that (prepared, or cancelled
        unused) the officer's advice, so a recommendation never reads as a decision taken."""
        if self.status == DecisionStatus.TAKEN or self.kind not in DECISION_ADVICE_LABELS:
            return self.get_kind_display()
        return str(DECISION_ADVICE_LABELS[self.kind])


class Report(FSMModelMixin, models.Model):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report")
        FINAL = "final", _("Final report")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reports", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_date = models.DateField(_("due date"))
    status = FSMField(_("status"), default=ReportStatus.DUE, choices=ReportStatus.choices, protected=True)
    results = models.TextField(_("results"), blank=True)
    realised_cofunding = MoneyField(_("realised co-funding"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    submitted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("submitted by")
    )
    officer_comment = models.TextField(_("officer's comment"), blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("assessed at"))
    assessed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("assessed by")
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["application", "due_date", "pk"]
        constraints = non_negative("report", "realised_cofunding")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.application}"

    @property
    def is_draft(self) -> bool:
        """Never submitted: what the team has written is its own, not yet the funder's to read."""
        return self.status == ReportStatus.DUE

    @transition(field=status, source=list(OPEN_REPORT_STATES), target=ReportStatus.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.ACCEPTED)
    def accept(self):
        self.assessed_at = timezone.now()

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.RETURNED)
    def return_to_team(self, comment: str):
        self.assessed_at = timezone.now()
        self.officer_comment = comment


class ReportCostLine(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="cost_lines", verbose_name=_("report"))
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="cost_lines", verbose_name=_("budget line")
    )
    actual_amount = MoneyField(_("actual costs"))
    eligible_amount = MoneyField(_("eligible costs"), null=True, blank=True)

    class Meta:
        verbose_name = _("actual cost")
        verbose_name_plural = _("actual costs")
        constraints = [
            *non_negative("report_cost_line", "actual_amount", "eligible_amount"),
            models.UniqueConstraint(fields=["report", "budget_line"], name="one_cost_line_per_budget_line"),
        ]

    def __str__(self):
        return f"{self.budget_line}: {format_euro(self.actual_amount)}"


class Extension(models.Model):
    """The one-time prolongation of a running project; the database allows only one."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="extension", verbose_name=_("application")
    )
    motivation = models.TextField(_("motivation"))
    new_end_date = models.DateField(_("new end date"))
    extra_amount = MoneyField(_("extra budget"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=_("requested at"))

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = non_negative("extension", "extra_amount")

    def __str__(self):
        return f"{self.application} → {date_format(self.new_end_date, 'j F Y')}"


class Objection(models.Model):
    """Bezwaar against one of the funder's decisions (Awb 6:7)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="objections", verbose_name=_("application")
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="objections", verbose_name=_("decision")
    )
    grounds = models.TextField(_("grounds"))
    status = models.CharField(_("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    # Who entered it: the team member who lodged it in the portal, or the officer who registered it.
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(default=timezone.now, verbose_name=_("submitted at"))
    # Received otherwise (post, e-mail) and registered by an officer: the day it arrived (the objection
    # period is checked against it, the decision term runs from it), who objected in their words, and
    # the scanned letter. Empty for an objection lodged in the portal: received when submitted.
    received_on = models.DateField(_("received on"), null=True, blank=True)
    objector = models.CharField(_("objector"), max_length=200, blank=True)
    # Where an objector other than the team is written to (Awb 6:14, 7:10): the acknowledgement and a
    # postponement go there, the team's contact gets a copy. Empty: the team objected.
    objector_email = models.EmailField(_("objector's e-mail address"), blank=True)
    letter = models.ForeignKey(
        Attachment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("letter")
    )
    due_date = models.DateField(_("decide before"))
    term_extended = models.BooleanField(default=False, verbose_name=_("term extended"))

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-submitted_at"]

    def __str__(self):
        return f"{self.application} · {self.get_status_display()}"

    def addressees(self) -> tuple[list[str], list[str], str]:
        """(to, cc, greeting name) of the objection's letters: the objector with an address of their
        own, copied to the team's contact; otherwise the team's contact alone."""
        contact = self.application.team.contact
        contact_name = contact.get_full_name() or contact.email
        if self.objector_email:
            return [self.objector_email], [contact.email], self.objector or self.objector_email
        return [contact.email], [], contact_name

    @property
    def received_day(self):
        """The day the objection came in: the officer's date of receipt for one sent by post or e-mail,
        else the day the team lodged it in the portal. The acknowledgement and the portal name it."""
        return self.received_on or timezone.localdate(self.submitted_at)
