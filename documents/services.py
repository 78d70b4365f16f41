"""Issuing, rendering, sending, retrying and correcting letters. Tasks wrap these; actions call `issue_letter`.

Every step is safe to repeat: it locks the letter row (`select_for_update(nowait=True)`),
checks the status marker, does the work and moves the status on, in one transaction,
with an audit event. A second run of the same step finds the marker and does nothing.
"""

import datetime
import functools
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config.celery import enqueue_on_commit
from grants.audit import record_event
from workflow.states import LetterStatus

from . import emails
from .exceptions import LetterPermissionDenied, LetterRefused
from .letters import dutch_date, letter_content
from .models import Letter, OutgoingEmail
from .rendering import render_pdf

logger = logging.getLogger(__name__)
L = LetterStatus
E = OutgoingEmail.Status

LETTER_RELATED = (
    "decision__application__scheme__funder",
    "decision__application__team__contact",
    "decision__prepared_by",
    "decision__decided_by",
)


def _tasks():
    from . import tasks  # tasks import services: bind late

    return tasks


def _audit(letter: Letter, action: str, *, actor=None, from_state="", reason="", data=None):
    record_event(
        letter,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=letter.status,
        reason=reason,
        data={"letter": letter.pk, "version": letter.version, **(data or {})},
        application=letter.decision.application,
    )


def _with_related(letters, letter_id: int) -> Letter:
    """The letter with its decision, application, scheme, funder, team and signers, in one query.

    Not `get()`: the LIMIT it adds makes PostgreSQL plan this nine-table join three times as
    long (about 3 ms of its CPU instead of 1, measured with EXPLAIN ANALYZE), once per letter
    and step; the primary key already allows one row only.
    """
    found = list(letters.select_related(*LETTER_RELATED).filter(pk=letter_id).order_by())
    if not found:
        raise Letter.DoesNotExist(f"No letter {letter_id}")
    return found[0]


class _Locked(Exception):
    """Another worker holds the letter's row lock: it is on this letter."""


def _lock(letter_id: int) -> Letter:
    """The letter, locked for the surrounding transaction; `_Locked` when another worker holds it.

    Raised (not caught here) so that the transaction is rolled back whole: no savepoint needed.
    """
    try:
        return _with_related(Letter.objects.select_for_update(nowait=True, of=("self",)), letter_id)
    except OperationalError as error:
        raise _Locked(letter_id) from error


# --- Issue -----------------------------------------------------------------------------------------


def issue_letter(decision, *, batch: str | None = None, correction_reason: str = "", actor=None) -> Letter:
    """Create the letter row for `decision` inside the caller's transaction; render it after commit."""
    version = (decision.letters.aggregate(last=Max("version"))["last"] or 0) + 1
    letter = Letter.objects.create(
        decision=decision, version=version, batch=batch or None, correction_reason=correction_reason
    )
    _audit(letter, "letter_queued", actor=actor, data={"batch": batch or ""})
    enqueue_on_commit(_tasks().render_letter, letter.pk)
    return letter


# --- Render ----------------------------------------------------------------------------------------


@dataclass
class RenderedLetter:
    """What the render step hands to the send step when the task runs both in one go."""

    letter: Letter
    email: OutgoingEmail
    pdf: bytes
    claimed: bool  # the e-mail row was made claimed for this execution: send without claiming again


def render_letter(letter_id: int) -> bool:
    """Render and store the PDF once, and queue its e-mail for `send_letter`. False when there was nothing to do."""
    return render_letter_step(letter_id, claim_email=False) is not None


def render_letter_step(letter_id: int, *, claim_email: bool = True) -> RenderedLetter | None:
    """Render, store, mark `rendered`, audit and make the e-mail row, in one transaction.

    The e-mail (`OutgoingEmail`, with its subject and context) is made here from the letter
    content already built for the PDF, so the send step only delivers. With `claim_email` the
    caller sends it right after, in the same execution (the `render_letter` task, tasks.py),
    and the row is made claimed for it; otherwise it waits, queued, for `send_letter`.
    Returns None when there was nothing to do.
    """
    try:
        with transaction.atomic():
            letter = _lock(letter_id)
            if letter.status != L.QUEUED:
                return None
            try:
                content = letter_content(letter)
                rendered = render_pdf(content.html())
            except Exception as error:  # a template or font problem: no retry by itself; the officer retries
                logger.exception("Rendering letter %s failed", letter_id)
                letter.fail(reason=f"{_('Rendering failed')}: {type(error).__name__}: {error}")
                letter.save(update_fields=["status", "failure_reason"])
                _audit(letter, "letter_failed", from_state=L.QUEUED, reason=letter.failure_reason)
                return None
            name = _pdf_name(letter)
            stored_name = letter.pdf.field.generate_filename(letter, name)
            if default_storage.exists(stored_name):  # left by an attempt that died before its commit
                default_storage.delete(stored_name)
            letter.pdf.save(name, ContentFile(rendered.content), save=False)
            letter.mark_rendered(sha256=hashlib.sha256(rendered.content).hexdigest(), page_count=rendered.page_count)
            letter.enqueued_at = timezone.now()
            letter.save(
                update_fields=["status", "pdf", "sha256", "page_count", "rendered_at", "failure_reason", "enqueued_at"]
            )
            _audit(
                letter,
                "letter_rendered",
                from_state=L.QUEUED,
                data={"sha256": letter.sha256, "pages": letter.page_count},
            )
            # Under the lock of a letter still queued no e-mail row exists (it is made in this
            # transaction, the one that leaves `queued`), so it can be made claimed.
            email = queue_letter_email(letter, content=content.context, claimed=claim_email)
    except _Locked:
        return None
    except IntegrityError:
        if not claim_email:
            raise
        # A row for this letter's e-mail existed after all (not expected: see above). Nothing was
        # committed; render again and take the row that is there, claiming it as any sender does.
        logger.warning("Letter %s already had an e-mail row; rendering again without claiming it", letter_id)
        return render_letter_step(letter_id, claim_email=False)
    return RenderedLetter(letter, email, rendered.content, claimed=claim_email)


def _pdf_name(letter: Letter) -> str:
    """The file name; the field's upload_to puts it under letters/<year>/<month>/."""
    reference = slugify(letter.decision.application.reference or "brief")
    return f"{reference}-{letter.decision_id}-v{letter.version}-{letter.pk}.pdf"


# --- Send ------------------------------------------------------------------------------------------


def recipients(letter: Letter) -> tuple[list[str], list[str]]:
    """To the team's contact; a copy to the officer who prepared the decision (if another person)."""
    decision = letter.decision
    to = [decision.application.team.contact.email]
    cc = []
    officer = decision.prepared_by
    if officer is not None and officer.email and officer.email not in to:
        cc.append(officer.email)
    return to, cc


def message_id(letter: Letter) -> str:
    """Stable per letter: a retry after a crash carries the same Message-ID, so duplicates are recognisable."""
    return f"<letter-{letter.pk}-v{letter.version}@{emails.mail_domain()}>"


def email_key(letter: Letter) -> str:
    return f"letter:{letter.pk}"


def queue_letter_email(letter: Letter, *, content: dict | None = None, claimed: bool = False) -> OutgoingEmail:
    """The letter's e-mail row (made once: the key is per letter). `content` is the letter's
    context when the caller has it (the render step); otherwise it is built again.
    `claimed`: made already claimed by the render step, which sends it next (see `queue_email`)."""
    application = letter.decision.application
    if content is None:
        content = letter_content(letter).context
    to, cc = recipients(letter)
    try:
        url = settings.SITE_URL + reverse("documents:letter_download", args=[letter.pk])
    except Exception:  # pragma: no cover - urls always loaded in practice
        url = settings.SITE_URL
    return emails.queue_email(
        key=email_key(letter),
        to=to,
        cc=cc,
        template="letter",
        letter=letter,
        message_id=message_id(letter),
        claimed=claimed,
        context={
            "subject": content["subject"],
            "reference": letter.reference,
            "title": application.title,
            "scheme": application.scheme.name,
            "funder": application.scheme.funder.name,
            "contact_name": content["contact_name"],
            "letter_date": content["letter_date"],
            "version": letter.version,
            "objection_clause": content["objection_clause"],
            "appeal_clause": content["appeal_clause"],
            "url": url,
            "filename": f"brief-{slugify(letter.reference)}.pdf",
        },
    )


def _mark_letter_sent(letter: Letter, email: OutgoingEmail) -> None:
    """Runs in a transaction right after the e-mail's `sent` marker: the letter follows it.

    `letter` is the instance the send step loaded (with its decision, application and funder
    for the audit event). The conditional UPDATE (still `rendered`?) locks the row and moves
    it in one statement; a letter another path has already moved on is left alone.
    """
    if letter.status != L.RENDERED:
        return
    letter.mark_sent()
    moved = Letter.objects.filter(pk=letter.pk, status=L.RENDERED).update(
        status=L.SENT, sent_at=letter.sent_at, failure_reason=""
    )
    if moved:
        _audit(letter, "letter_sent", from_state=L.RENDERED, data={"message_id": email.message_id})


def send_letter(letter_id: int, *, rendered: RenderedLetter | None = None) -> bool:
    """E-mail the stored PDF once. Raises `emails.TemporaryEmailError` for the task to retry.

    With `rendered` (the render step's result, in the same task execution) nothing is read
    again: the letter, its e-mail row and the PDF bytes are at hand. The e-mail's claim
    (queued -> sending, a conditional UPDATE) is what keeps two senders apart either way.
    """
    if rendered is not None:
        letter, email, pdf = rendered.letter, rendered.email, rendered.pdf
    else:
        letter = _with_related(Letter.objects, letter_id)
        if letter.status != L.RENDERED:
            return False
        email = OutgoingEmail.objects.filter(key=email_key(letter)).first() or queue_letter_email(letter)
        email.letter = letter
        pdf = None
    if email.status == E.SENT:  # sent, but the letter was not marked (the worker died in between)
        with transaction.atomic():
            _mark_letter_sent(letter, email)
        return False
    try:
        return emails.deliver_email(
            email.pk,
            on_sent=functools.partial(_mark_letter_sent, letter),
            email=email,
            attachment=pdf,
            claimed=rendered is not None and rendered.claimed,
        )
    except emails.PermanentEmailError as error:
        letter_give_up(letter_id, error.reason)
        return False


def letter_give_up(letter_id: int, reason: str) -> None:
    """A permanent SMTP error, or the retries ran out: the letter is failed, for an officer to retry."""
    with transaction.atomic():
        letter = _with_related(Letter.objects.select_for_update(of=("self",)), letter_id)
        if letter.status not in (L.QUEUED, L.RENDERED):
            return
        previous = letter.status
        letter.fail(reason=f"{_('Sending failed')}: {reason}")
        letter.save(update_fields=["status", "failure_reason"])
        OutgoingEmail.objects.filter(letter=letter, status=E.QUEUED).update(status=E.FAILED, failure_reason=reason)
        _audit(letter, "letter_failed", from_state=previous, reason=letter.failure_reason)


# --- Officers: retry and correct ---------------------------------------------------------------------


def letter_retry(letter: Letter, actor) -> Letter:
    """One click on a failed letter: render again if it has no PDF, otherwise send the stored PDF again."""
    with transaction.atomic():
        letter = _with_related(Letter.objects.select_for_update(of=("self",)), letter.pk)
        if not actor.has_perm("documents.retry_letter", letter):
            raise LetterPermissionDenied(_("Only an officer of this funder can retry a letter."))
        if letter.status != L.FAILED:
            raise LetterRefused(_("Only a failed letter can be retried."))
        reason = letter.failure_reason
        letter.retry()
        letter.save(update_fields=["status", "failure_reason", "enqueued_at"])
        OutgoingEmail.objects.filter(letter=letter, status=E.FAILED).update(status=E.QUEUED)
        _audit(letter, "letter_retried", actor=actor, from_state=L.FAILED, reason=reason)
        task = _tasks().send_letter if letter.status == L.RENDERED else _tasks().render_letter
        enqueue_on_commit(task, letter.pk)
    return letter


def letter_correct(letter: Letter, actor, reason: str) -> Letter:
    """A sent letter is never changed: the correction is a new version of it, rendered and sent anew."""
    with transaction.atomic():
        letter = _with_related(Letter.objects.select_for_update(of=("self",)), letter.pk)
        if not actor.has_perm("documents.correct_letter", letter):
            raise LetterPermissionDenied(_("Only an officer of this funder can correct a letter."))
        problems = []
        if letter.status != L.SENT:
            problems.append(_("Only a sent letter is corrected; a letter not yet sent can be retried."))
        if letter.decision.letters.filter(version__gt=letter.version).exists():
            problems.append(_("This letter has already been corrected; correct the newest version."))
        if not reason.strip():
            problems.append(_("Give the reason for the correction."))
        if problems:
            raise LetterRefused(problems)
        new = issue_letter(letter.decision, batch=None, correction_reason=reason.strip(), actor=actor)
        _audit(new, "letter_corrected", actor=actor, reason=reason.strip(), data={"replaces": letter.pk})
    return new


# --- Progress of bulk work ----------------------------------------------------------------------------


def letter_progress(letters) -> dict:
    """'n of N rendered, n of N sent' for a set of letters, in one query."""
    counts = letters.aggregate(
        total=Count("pk"),
        rendered=Count("pk", filter=Q(status__in=[L.RENDERED, L.SENT])),
        sent=Count("pk", filter=Q(status=L.SENT)),
        failed=Count("pk", filter=Q(status=L.FAILED)),
    )
    counts["done"] = counts["total"] > 0 and counts["sent"] + counts["failed"] == counts["total"]
    return counts


def batch_progress(batch: str) -> dict:
    return letter_progress(Letter.objects.filter(batch=batch))


# --- The periodic job: move on what a crash left behind --------------------------------------------------


def stuck_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.GRANTDESK_LETTER_STUCK_SECONDS)


def requeue_stuck(older_than: datetime.timedelta | None = None) -> dict:
    """Re-queue letters and e-mails that no task has moved on for `older_than`.

    Letters queued or rendered whose task was lost (a worker killed with the message
    unacknowledged waits for the broker's visibility timeout) are enqueued again: the
    task's marker check makes a duplicate harmless. E-mails left in `sending` by a dead
    worker go back to `queued`: the one case that can send twice (see docs/architecture.md).
    """
    cutoff = timezone.now() - (older_than if older_than is not None else stuck_after())
    tasks = _tasks()
    counts = {"render": 0, "send": 0, "sending": 0, "emails": 0}
    orphans = list(OutgoingEmail.objects.filter(status=E.SENDING, claimed_at__lt=cutoff).values_list("pk", "letter_id"))
    for pk, letter_id in orphans:
        if OutgoingEmail.objects.filter(pk=pk, status=E.SENDING, claimed_at__lt=cutoff).update(status=E.QUEUED):
            counts["sending"] += 1
            if letter_id is None:
                enqueue_on_commit(tasks.deliver_outgoing_email, pk)
    for status, task, key in ((L.QUEUED, tasks.render_letter, "render"), (L.RENDERED, tasks.send_letter, "send")):
        ids = list(Letter.objects.filter(status=status, enqueued_at__lt=cutoff).values_list("pk", flat=True))
        Letter.objects.filter(pk__in=ids, status=status).update(enqueued_at=timezone.now())
        for pk in ids:
            enqueue_on_commit(task, pk)
        counts[key] = len(ids)
    others = OutgoingEmail.objects.filter(letter=None, status=E.QUEUED, created_at__lt=cutoff, attempts__gt=0)
    for pk in others.values_list("pk", flat=True):
        enqueue_on_commit(tasks.deliver_outgoing_email, pk)
        counts["emails"] += 1
    if any(counts.values()):
        logger.warning("Re-queued stuck letters and e-mails: %s", counts)
    return counts


__all__ = [
    "batch_progress",
    "dutch_date",
    "issue_letter",
    "letter_correct",
    "letter_progress",
    "letter_retry",
    "render_letter",
    "render_letter_step",
    "requeue_stuck",
    "send_letter",
]


def render_preview(kind: str, scheme):
    """The letter `kind` of `scheme` with sample data, as PDF; nothing is saved."""
    from .letters import sample_content

    return render_pdf(sample_content(kind, scheme).html())
