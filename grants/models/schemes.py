"""Schemes (subsidieregelingen / rondes) and their rubrics."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import MoneyField, non_negative
from .organisations import SchoolType
from .people import Funder


class AllocationMethod(models.TextChoices):
    FIRST_COME = "first_come", _("First come, first served")
    RANKING = "ranking", _("Ranking after the close date")


class Scheme(models.Model):
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("funder"))
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"))
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=12,
        help_text=_("Start of every application's reference (kenmerk), e.g. OIF."),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        help_text=_("The regulation letters cite, e.g. 'Subsidieregeling Onderwijsinnovatiefonds 2026'."),
    )
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    text = models.TextField(_("scheme text"), blank=True, help_text=_("Markdown; shown escaped."))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    budget_ceiling = MoneyField(_("budget ceiling"))
    max_per_application = MoneyField(_("maximum per application"))
    cofunding_ratio = models.DecimalField(
        _("co-funding ratio"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("1.00 means co-funders add as much as the fund gives."),
    )
    allocation_method = models.CharField(
        _("allocation method"),
        max_length=20,
        choices=AllocationMethod.choices,
        default=AllocationMethod.FIRST_COME,
    )
    eligible_school_types = models.JSONField(
        _("eligible school types"), default=list, help_text=_("Codes such as bo, sbo, so.")
    )
    tracks = models.JSONField(_("tracks"), default=list, blank=True)
    learning_areas = models.JSONField(_("learning areas"), default=list, blank=True)
    decision_term_weeks = models.PositiveSmallIntegerField(
        _("decision term (weeks)"), default=8, help_text=_("Awb 4:13: eight weeks unless set otherwise.")
    )
    advance_percentage = models.DecimalField(
        _("advance percentage"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    min_reviews = models.PositiveSmallIntegerField(_("minimum number of reviews"), default=2)
    information_term_days = models.PositiveSmallIntegerField(_("term for missing information (days)"), default=14)
    interim_report_months = models.PositiveSmallIntegerField(
        _("interim report after (months from start)"), null=True, blank=True
    )
    final_report_weeks = models.PositiveSmallIntegerField(_("final report due (weeks after end)"), default=8)
    settlement_term_weeks = models.PositiveSmallIntegerField(
        _("settlement term (weeks after final report)"), default=13
    )
    max_project_months = models.PositiveSmallIntegerField(_("maximum project length (months)"), default=24)
    max_extension_months = models.PositiveSmallIntegerField(
        _("maximum extension (months)"), default=12, help_text=_("0 means no extension possible.")
    )

    class Meta:
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        ordering = ["funder", "-opens_on", "name"]
        constraints = [
            *non_negative("scheme", "budget_ceiling", "max_per_application", "cofunding_ratio"),
            models.CheckConstraint(
                condition=models.Q(advance_percentage__gte=0, advance_percentage__lte=100),
                name="scheme_advance_percentage_range",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="scheme_closes_after_opening"
            ),
            models.UniqueConstraint(fields=["funder", "slug"], name="unique_scheme_slug_per_funder"),
            models.UniqueConstraint(fields=["reference_prefix"], name="unique_scheme_reference_prefix"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        unknown = set(self.eligible_school_types or []) - set(SchoolType.values)
        if unknown:
            codes = ", ".join(sorted(unknown))
            errors["eligible_school_types"] = _("Unknown school types: %(codes)s") % {"codes": codes}
        # Said here, beside the field, rather than by the database constraint, whose message only names the
        # constraint ("scheme_closes_after_opening").
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The closing date cannot be before the opening date.")
        # A term of 0 was saved, and then every decision was late the day it was submitted, an information
        # request lapsed the day it was sent, and no project fitted in the scheme.
        for name in ("decision_term_weeks", "information_term_days", "max_project_months"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                errors[name] = _("This must be at least 1.")
        if (
            self.max_per_application is not None
            and self.budget_ceiling is not None
            and self.max_per_application > self.budget_ceiling
        ):
            errors["max_per_application"] = _("The maximum per application cannot exceed the budget ceiling.")
        if self.pk and self.budget_ceiling is not None:
            from grants.money import format_euro
            from grants.selectors import committed_amount  # selectors import the models

            committed = committed_amount(self)
            if self.budget_ceiling < committed:
                # The awards stand (they are decisions); a ceiling under them would make every later
                # award look possible by a negative remainder.
                errors["budget_ceiling"] = _(
                    "The budget ceiling cannot be lower than the %(committed)s already awarded in this scheme."
                ) % {"committed": format_euro(committed)}
        if errors:
            raise ValidationError(errors)

    def is_open(self, on: datetime.date | None = None) -> bool:
        today = on or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    @property
    def eligible_school_type_labels(self) -> list[str]:
        labels = dict(SchoolType.choices)
        return [str(labels.get(code, code)) for code in self.eligible_school_types]


class RubricCriterion(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("scheme"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        # Django's own message wrote the limit as "0.01", with a decimal point on Dutch pages.
        validators=[MinValueValidator(Decimal("0.01"), message=_("A weight must be more than 0."))],
    )
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["scheme", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=models.Q(max_score__gt=0), name="criterion_max_score_positive"),
        ]

    def __str__(self):
        return self.name
