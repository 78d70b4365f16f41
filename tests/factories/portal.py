"""Set-up helpers for the team's portal: members, letters with a stored PDF, information requests."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from documents.models import Letter
from grants.audit import record_event
from grants.models import BudgetLine, Decision, InformationRequest, TeamMembership
from workflow.states import DecisionKind, DecisionStatus, LetterStatus, Role

from . import UserFactory, force_status, staff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def member_of(team, **kwargs):
    user = UserFactory(**kwargs)
    TeamMembership.objects.get_or_create(team=team, user=user)
    return user


def sent_letter(application, kind=DecisionKind.AWARD, letter_date=None, officer=None) -> Letter:
    """A taken decision with its letter rendered and sent (a small stored PDF), and its audit event."""
    officer = officer or staff(application.scheme.funder, Role.OFFICER)
    decision = Decision.objects.create(
        application=application,
        kind=kind,
        status=DecisionStatus.TAKEN,
        prepared_by=officer,
        decided_by=officer,
        decided_at=timezone.now(),
        letter_date=letter_date or timezone.localdate(),
    )
    letter = Letter.objects.create(decision=decision)
    letter.pdf.save(f"brief-{decision.pk}.pdf", ContentFile(PDF), save=True)
    force_status(letter, LetterStatus.SENT)
    record_event(letter, actor=None, action="letter_sent", to_state=LetterStatus.SENT, application=application)
    return letter


def information_request(application, officer=None, message="Stuur de begroting van de partner mee.", days=14):
    officer = officer or staff(application.scheme.funder, Role.OFFICER)
    return InformationRequest.objects.create(
        application=application,
        message=message,
        due_date=timezone.localdate() + datetime.timedelta(days=days),
        requested_by=officer,
    )


def budget_lines(application, count: int, amount="100.00"):
    return BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            category=BudgetLine.Category.MATERIALS,
            description=f"Materiaal {n}",
            amount=amount,
            position=n,
        )
        for n in range(count)
    )
