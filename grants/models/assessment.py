"""Co-funding pledges, reviews and their scores: how an application is assessed."""

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from grants.money import format_euro
from workflow.states import PledgeStatus, ReviewStatus

from .applications import Application, Attachment
from .fields import MoneyField, non_negative
from .organisations import Organisation
from .people import User
from .schemes import RubricCriterion


class CoFundingPledge(FSMModelMixin, models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("application")
    )
    cofunder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("co-funder")
    )
    amount = MoneyField(_("amount"))
    contact_email = models.EmailField(_("co-funder's contact e-mail"), blank=True)
    evidence = models.ForeignKey(
        Attachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("evidence")
    )
    status = FSMField(_("status"), default=PledgeStatus.PLEDGED, choices=PledgeStatus.choices, protected=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("confirmed by")
    )
    realised_amount = MoneyField(_("realised amount"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-funding pledge")
        verbose_name_plural = _("co-funding pledges")
        ordering = ["application", "pk"]
        constraints = [
            *non_negative("pledge", "amount", "realised_amount"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="pledge_amount_positive"),
        ]

    def __str__(self):
        return f"{self.cofunder} · {format_euro(self.amount)}"

    @transition(field=status, source=PledgeStatus.PLEDGED, target=PledgeStatus.CONFIRMED)
    def confirm(self, by: User | None = None):
        self.confirmed_at = timezone.now()
        self.confirmed_by = by

    @transition(field=status, source=[PledgeStatus.PLEDGED, PledgeStatus.CONFIRMED], target=PledgeStatus.WITHDRAWN)
    def withdraw(self):
        pass


class Review(FSMModelMixin, models.Model):
    class Recommendation(models.TextChoices):
        AWARD = "award", _("Award")
        AWARD_WITH_CHANGES = "award_with_changes", _("Award with changes")
        REJECT = "reject", _("Reject")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    reviewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("reviewer"))
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(default=timezone.now, verbose_name=_("assigned at"))
    status = FSMField(_("status"), default=ReviewStatus.ASSIGNED, choices=ReviewStatus.choices, protected=True)
    conflict_declared_at = models.DateTimeField(null=True, blank=True, verbose_name=_("conflict declared at"))
    conflict_reason = models.TextField(_("conflict of interest"), blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Recommendation.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    weighted_score = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, verbose_name=_("weighted score")
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer")]

    def __str__(self):
        return f"{self.reviewer} · {self.application}"

    @transition(field=status, source=ReviewStatus.ASSIGNED, target=ReviewStatus.NO_CONFLICT)
    def declare_no_conflict(self):
        self.conflict_declared_at = timezone.now()

    @transition(
        field=status, source=[ReviewStatus.ASSIGNED, ReviewStatus.NO_CONFLICT], target=ReviewStatus.CONFLICT_DECLARED
    )
    def declare_conflict(self, reason: str):
        self.conflict_declared_at = timezone.now()
        self.conflict_reason = reason

    @transition(field=status, source=ReviewStatus.NO_CONFLICT, target=ReviewStatus.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()
        self.weighted_score = self.compute_weighted_score()

    def compute_weighted_score(self) -> Decimal | None:
        """Scores normalised to 0-100 and weighted by the rubric's weights."""
        scores = list(self.scores.select_related("criterion"))
        total_weight = sum((score.criterion.weight for score in scores), Decimal("0"))
        if not scores or total_weight == 0:
            return None
        weighted = sum(
            (Decimal(score.score) / score.criterion.max_score * score.criterion.weight for score in scores),
            Decimal("0"),
        )
        return (weighted / total_weight * 100).quantize(Decimal("0.01"))


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review"))
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
