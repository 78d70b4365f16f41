"""Issuing letters and sending e-mails. Tasks wrap these; actions call `issue_letter`."""

from django.db import transaction

from grants.audit import record_event

from .models import Letter


def issue_letter(decision) -> Letter:
    """Create the letter row for `decision` inside the decision's own transaction."""
    letter = Letter.objects.create(decision=decision)
    record_event(letter, actor=None, action="letter_queued", to_state=letter.status, application=decision.application)
    return letter


__all__ = ["issue_letter", "transaction"]
