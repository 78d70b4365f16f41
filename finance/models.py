"""Money out (and back): payments and the batches that carry them to the bank.

A payment's lifecycle:  scheduled ──approve──▶ approved ──export──▶ exported ──mark_paid──▶ paid
                                                    ▲                    │
                                                    └────mark_failed─────┘  (back in the queue, batch cleared)
approved ──withdraw_approval──▶ scheduled  (the payee's bank details changed before a batch took it)
scheduled / approved ──cancel──▶ cancelled  (settlement or revocation made it unnecessary; also a payment
the bank refused on a grant revoked or settled meanwhile: mark_failed, then cancel)
A recovery (money the team pays back) never travels in a payout batch:
scheduled ──approve──▶ approved ──record_received──▶ paid.
The transitions only change state and stamp fields; ``workflow.actions.money`` runs them.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from grants.models import Application, Funder, Organisation, User
from grants.models.fields import MoneyField
from grants.money import format_euro
from workflow.states import PaymentStatus

P = PaymentStatus


class PayoutBatch(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        EXPORTED = "exported", _("Exported (locked)")
        PROCESSED = "processed", _("Processed")
        # Dissolved before its export: its payments went back to the queue (`batch_dissolve`).
        DISSOLVED = "dissolved", _("Dissolved")

    funder = models.ForeignKey(
        Funder, on_delete=models.PROTECT, related_name="payout_batches", verbose_name=_("funder")
    )
    reference = models.CharField(_("reference"), max_length=35, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    execution_date = models.DateField(_("execution date"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    exported_at = models.DateTimeField(null=True, blank=True, verbose_name=_("exported at"))
    exported_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("exported by")
    )
    processed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("processed at"))
    # Totals at export time; the payments may later leave the batch when the bank refuses them.
    payment_count = models.PositiveIntegerField(_("number of payments"), default=0)
    total_amount = MoneyField(_("total amount"), default=0)
    csv_file = models.FileField(_("CSV file"), upload_to="finance/batches/%Y/", blank=True)
    csv_sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("CSV SHA-256"))
    xlsx_file = models.FileField(_("Excel file"), upload_to="finance/batches/%Y/", blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("XLSX SHA-256"))
    sepa_file = models.FileField(_("SEPA file"), upload_to="finance/batches/%Y/", blank=True)
    sepa_sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("SEPA SHA-256"))

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at"]
        constraints = [
            # Once exported a batch is locked: its files and their hashes are always there.
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "dissolved"])
                | (
                    models.Q(exported_at__isnull=False)
                    & ~models.Q(csv_sha256="")
                    & ~models.Q(xlsx_sha256="")
                    & ~models.Q(sepa_sha256="")
                ),
                name="payout_batch_exported_has_files",
            ),
            models.CheckConstraint(condition=models.Q(total_amount__gte=0), name="payout_batch_total_non_negative"),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_locked(self) -> bool:
        """Exported: its files and their hashes are stored, and it can no longer change."""
        return self.status in (self.Status.EXPORTED, self.Status.PROCESSED)

    def file_for(self, fmt: str):
        return {"csv": self.csv_file, "xlsx": self.xlsx_file, "sepa": self.sepa_file}[fmt]

    def sha256_for(self, fmt: str) -> str:
        return {"csv": self.csv_sha256, "xlsx": self.xlsx_sha256, "sepa": self.sepa_sha256}[fmt]


class Payment(FSMModelMixin, models.Model):
    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Advance")
        REMAINDER = "remainder", _("Remainder")
        RECOVERY = "recovery", _("Recovery")

    OUTGOING = (Kind.ADVANCE, Kind.REMAINDER)

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="payments", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = MoneyField(_("amount"))
    due_date = models.DateField(_("due date"))
    status = FSMField(_("status"), default=P.SCHEDULED, choices=P.choices, protected=True, db_index=True)
    # Who receives (or, for a recovery, owes) the money: see finance.services.payee_for.
    payee = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="payments", verbose_name=_("payee")
    )
    # The decision this payment follows from (the award, the settlement, the recovery).
    decision = models.ForeignKey(
        "grants.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("decision"),
    )
    prepared_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("prepared by")
    )
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved at"))
    # A payment travels in one batch only: the foreign key holds one batch at a time, and
    # batches are built with a conditional update on batch IS NULL (finance.services.build_batch).
    batch = models.ForeignKey(
        PayoutBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("payout batch"),
    )
    # The payee's confirmed bank details as they were when the payment entered its batch.
    creditor_name = models.CharField(_("account holder"), max_length=70, blank=True)
    creditor_iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    creditor_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=_("paid at"))
    failure_reason = models.TextField(_("reason of failure"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
            # Exported and paid outgoing payments are always in a batch; recoveries never are.
            models.CheckConstraint(
                condition=~models.Q(status="exported") | models.Q(batch__isnull=False),
                name="payment_exported_in_batch",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="recovery") | models.Q(batch__isnull=True),
                name="payment_recovery_not_batched",
            ),
            models.CheckConstraint(
                condition=models.Q(batch__isnull=True) | models.Q(status__in=["approved", "exported", "paid"]),
                name="payment_batched_only_when_approved",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {format_euro(self.amount)} · {self.application}"

    @property
    def is_outgoing(self) -> bool:
        return self.kind in self.OUTGOING

    @transition(field=status, source=P.SCHEDULED, target=P.APPROVED)
    def approve(self, by):
        self.approved_by = by
        self.approved_at = timezone.now()

    @transition(field=status, source=P.APPROVED, target=P.SCHEDULED)
    def withdraw_approval(self):
        # Approved against an account that has since changed: approved again once the new one is confirmed.
        self.approved_by = None
        self.approved_at = None

    @transition(field=status, source=[P.SCHEDULED, P.APPROVED], target=P.CANCELLED)
    def cancel(self):
        self.batch = None

    @transition(field=status, source=P.EXPORTED, target=P.PAID)
    def mark_paid(self):
        self.paid_at = timezone.now()

    @transition(field=status, source=P.EXPORTED, target=P.APPROVED)
    def mark_failed(self, reason: str):
        # Back in the queue for the next batch; the audit event keeps which batch failed.
        self.failure_reason = reason
        self.batch = None

    @transition(field=status, source=P.APPROVED, target=P.PAID)
    def record_received(self):
        self.paid_at = timezone.now()
