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

