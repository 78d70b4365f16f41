"""Money out (and back): payments and the batches that carry them to the bank."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from grants.models import Application, Funder, User
from grants.models.fields import MoneyField
from workflow.states import PaymentStatus


class PayoutBatch(models.Model):
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="payout_batches")
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    exported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference


class Payment(FSMModelMixin, models.Model):
    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Advance")
        REMAINDER = "remainder", _("Remainder")
        RECOVERY = "recovery", _("Recovery")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = MoneyField(_("amount"))
    due_date = models.DateField(_("due date"))
    status = FSMField(_("status"), default=PaymentStatus.SCHEDULED, choices=PaymentStatus.choices, protected=True)
    prepared_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # A payment travels in one batch only: the foreign key holds one batch at a time.
    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    paid_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} · {self.application}"
