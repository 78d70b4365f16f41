"""What the workflow itself records: runs of the scheduled jobs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a scheduled job (Celery beat): when, and what it queued and sent.

    The e-mails themselves are the ``documents.OutgoingEmail`` rows, keyed so that a
    second run on the same day finds them and sends nothing again; this row only
    says that the job ran and with which result, for operators and for tests.
    """

    job = models.CharField(_("job"), max_length=60, db_index=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    run_date = models.DateField(_("run date"), help_text=_("The Amsterdam calendar day the job ran for."))
    queued = models.PositiveIntegerField(_("e-mails queued"), default=0)
    sent = models.PositiveIntegerField(_("e-mails sent"), default=0)
    failed = models.PositiveIntegerField(_("e-mails failed"), default=0)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.job} · {self.run_date}"


class RankingRound(models.Model):
    """A ranking round of a scheme (allocation "ranking"): prepared by an officer, decided by a decider.

    `ranking` is the list frozen at preparation, best first: one entry per application with
    its average weighted score, amount and whether it falls above the cut line. The decider
    decides exactly this list (four eyes: never the officer who prepared it).
    """

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Prepared")
        DECIDED = "decided", _("Decided")
        CANCELLED = "cancelled", _("Cancelled")

    scheme = models.ForeignKey(
        "grants.Scheme", on_delete=models.PROTECT, related_name="ranking_rounds", verbose_name=_("scheme")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PREPARED)
    ranking = models.JSONField(_("ranking"), default=list)
    available_budget = models.DecimalField(_("available budget"), max_digits=14, decimal_places=2)
    prepared_by = models.ForeignKey(
        "grants.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by")
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "grants.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    batch_key = models.CharField(_("letter batch"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("ranking round")
        verbose_name_plural = _("ranking rounds")
        ordering = ["-prepared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme"], condition=models.Q(status="prepared"), name="one_prepared_ranking_round_per_scheme"
            )
        ]

    def __str__(self):
        return f"{self.scheme} · {self.get_status_display()}"
