"""Letters: the rendered PDF of a decision, stored once and e-mailed once; the admin's text blocks."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from grants.models import Decision, Scheme, User
from workflow.states import DecisionKind, LetterStatus

L = LetterStatus


class Letter(FSMModelMixin, models.Model):
    """One letter per decision and version; a correction after sending is a new version, never an edit.

    The status moves only through the transitions below, called by `documents.services`,
    which lock the row and audit every change.
    """

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="letters", verbose_name=_("decision"))
    version = models.PositiveSmallIntegerField(default=1, verbose_name=_("version"))
    status = FSMField(_("status"), default=L.QUEUED, choices=L.choices, protected=True, db_index=True)
    batch = models.CharField(  # noqa: DJ001 - NULL: not part of a bulk action
        _("batch"), max_length=80, blank=True, null=True, db_index=True, help_text=_("Bulk action that queued it.")
    )
    pdf = models.FileField(upload_to="letters/%Y/%m/", blank=True, verbose_name=_("PDF"))
    sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("SHA-256"))
    page_count = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("page count"))
    rendered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("rendered at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    failure_reason = models.TextField(blank=True, verbose_name=_("failure reason"))
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # When a task was last asked to move this letter on; the stuck-letter job looks at it.
    enqueued_at = models.DateTimeField(default=timezone.now, verbose_name=_("enqueued at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["decision", "version"]
        constraints = [models.UniqueConstraint(fields=["decision", "version"], name="one_letter_per_decision_version")]

    def __str__(self):
        return f"{self.decision} v{self.version}"

    @property
    def reference(self) -> str:
        """The kenmerk printed on the letter: the application's reference and the decision."""
        base = f"{self.decision.application.reference or self.decision.application_id}/{self.decision_id}"
        return base if self.version == 1 else f"{base}-v{self.version}"

    # --- Transitions: only change state and stamp fields --------------------------------------------
    @transition(field=status, source=L.QUEUED, target=L.RENDERED)
    def mark_rendered(self, *, sha256: str, page_count: int):
        self.sha256, self.page_count, self.rendered_at = sha256, page_count, timezone.now()
        self.failure_reason = ""

    @transition(field=status, source=L.RENDERED, target=L.SENT)
    def mark_sent(self):
        self.sent_at = timezone.now()
        self.failure_reason = ""

    @transition(field=status, source=[L.QUEUED, L.RENDERED], target=L.FAILED)
    def fail(self, reason: str):
        self.failure_reason = reason[:2000]

    @transition(field=status, source=L.FAILED, target=RETURN_VALUE(L.QUEUED, L.RENDERED))
    def retry(self):
        """Back to where it failed: a stored PDF is sent again, never rendered again."""
        self.failure_reason = ""
        self.enqueued_at = timezone.now()
        return L.RENDERED if self.sha256 else L.QUEUED


class OutgoingEmail(models.Model):
    """One e-mail Grantdesk owes somebody. `key` makes a second attempt find the first."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=120, unique=True, verbose_name=_("key"))
    to = models.JSONField(default=list, verbose_name=_("recipients"))
    cc = models.JSONField(default=list, blank=True, verbose_name=_("CC"))
    subject = models.CharField(max_length=300, verbose_name=_("subject"))
    template = models.CharField(max_length=100, verbose_name=_("template"))
    context = models.JSONField(default=dict, blank=True, verbose_name=_("context"))
    letter = models.ForeignKey(
        Letter, on_delete=models.PROTECT, null=True, blank=True, related_name="emails", verbose_name=_("letter")
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True, verbose_name=_("status")
    )
    message_id = models.CharField(max_length=200, blank=True, verbose_name=_("message ID"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    failure_reason = models.TextField(blank=True, verbose_name=_("failure reason"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"


class LetterText(models.Model):
    """A text block the admin writes for one scheme and letter kind, in plain text or Markdown.

    Rendered escaped (Markdown without HTML or images): never raw HTML in a letter.
    """

    class Position(models.TextChoices):
        INTRODUCTION = "introduction", _("Introduction, after the salutation")
        DECISION = "decision", _("After the decision")
        OBLIGATIONS = "obligations", _("Obligations (award letters)")
        CLOSING = "closing", _("Closing, before the signature")

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="letter_texts", verbose_name=_("scheme"))
    kind = models.CharField(_("letter kind"), max_length=30, choices=DecisionKind.choices)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    body = models.TextField(_("text"), help_text=_("Plain text or Markdown. HTML is shown as text, not applied."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("updated by")
    )

    class Meta:
        verbose_name = _("letter text")
        verbose_name_plural = _("letter texts")
        ordering = ["scheme", "kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind", "position"], name="one_letter_text_per_position")
        ]

    def __str__(self):
        return f"{self.scheme} · {self.get_kind_display()} · {self.get_position_display()}"

    def clean(self):
        # Only the award letter has a place for obligations: saved for another kind, the text was never printed.
        if self.position == self.Position.OBLIGATIONS and self.kind and self.kind != DecisionKind.AWARD:
            raise ValidationError(
                {"position": _("Only award letters list obligations. Put this text in another place of the letter.")}
            )
