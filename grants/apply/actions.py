"""What a team does to its draft: one function per saved step, each a workflow action.

Like ``workflow.actions``: atomic, the application row locked, ``grants.edit_application``
checked, refused with a message when the application can no longer be changed, and one
audit event per saved step (not one per field or budget line). The requested amount is
always derived here, server-side: the budget total minus the pledged co-funding.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from grants import uploads
from grants.audit import record_event
from grants.models import Application, Attachment, BudgetLine, CoFundingPledge
from workflow.actions.base import lock_application, require
from workflow.exceptions import ActionRefused
from workflow.states import ApplicationStatus, PledgeStatus

from . import selectors

# A draft, and an application whose team was asked for missing information: the team
# completes it and resubmits (the `resubmit` transition checks completeness again).
EDITABLE_STATES = (ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED)

MAX_ATTACHMENTS = 30

EDITED = "application.edited"
ATTACHMENT_DELETED = "attachment.deleted"


def is_editable(application: Application) -> bool:
    return application.status in EDITABLE_STATES


def _lock_editable(application: Application, actor) -> Application:
    application = lock_application(application)
    require(actor, "grants.edit_application", application)
    if not is_editable(application):
        raise ActionRefused(
            _("This application can no longer be changed: its status is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    return application


def _update_requested_amount(application: Application) -> None:
    amount = application.derived_requested_amount()
    if amount != application.requested_amount:
        application.requested_amount = amount
        application.save(update_fields=["requested_amount", "updated_at"])


def _edited(application, actor, step: str, **data) -> None:
    record_event(application, actor=actor, action=EDITED, data={"step": step, **data})


PLAN_FIELDS = ("title", "summary", "goals", "track", "learning_area", "project_start", "project_end")


def application_save_plan(*, application: Application, actor, **fields) -> Application:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"Not plan fields: {sorted(unknown)}")
    with transaction.atomic():
        application = _lock_editable(application, actor)
        changed = [name for name, value in fields.items() if getattr(application, name) != value]
        for name in changed:
            setattr(application, name, fields[name])
        if changed:
            application.save(update_fields=[*changed, "updated_at"])
        _edited(application, actor, "plan", fields=sorted(changed))
    return application


def application_save_parties(*, application: Application, actor, schools, partners) -> Application:
    """The participating schools and the partners (cultural providers, educational partners)."""
    with transaction.atomic():
        application = _lock_editable(application, actor)
        application.schools.set(schools)
        application.partners.set(partners)
        _edited(application, actor, "parties", schools=len(schools), partners=len(partners))
    return application


def application_save_budget(*, application: Application, actor, lines: list[dict]) -> Application:
    """Replace the budget with `lines` ({category, description, amount}) in their order."""
    with transaction.atomic():
        application = _lock_editable(application, actor)
        application.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(
                application=application,
                category=line["category"],
                description=line["description"],
                amount=line["amount"],
                position=position,
            )
            for position, line in enumerate(lines)
        )
        _update_requested_amount(application)
        _edited(application, actor, "budget", lines=len(lines), requested_amount=str(application.requested_amount))
    return application


def application_save_pledges(*, application: Application, actor, pledges: list[dict]) -> Application:
    """Create, change or remove the co-funding pledges that are still only pledged.

    Each item: {id (None for a new one), delete, cofunder, amount, contact_email, evidence}.
    A pledge the co-funder already confirmed or withdrew is not changed here: its row is left
    out (the co-funder may have answered while the team had the page open; the rest is saved),
    and `answered_meanwhile` on the returned application lists them for the page to say so.
    """
    with transaction.atomic():
        application = _lock_editable(application, actor)
        open_pledges = {
            pledge.pk: pledge
            for pledge in CoFundingPledge.objects.select_for_update().filter(
                application=application, status=PledgeStatus.PLEDGED
            )
        }
        answered = set(
            CoFundingPledge.objects.filter(application=application)
            .exclude(status=PledgeStatus.PLEDGED)
            .values_list("pk", flat=True)
        )
        answered_meanwhile = []
        evidence_ids = set(application.attachments.values_list("pk", flat=True))
        own_addresses = selectors.team_emails(application)
        for item in pledges:
            if (item.get("contact_email") or "").lower() in own_addresses:
                raise ActionRefused(str(selectors.TEAM_ADDRESS_REFUSED))
            evidence = item.get("evidence")
            if evidence is not None and evidence.pk not in evidence_ids:
                raise ActionRefused(_("The evidence must be one of this application's attachments."))
            if item.get("id") in answered:
                answered_meanwhile.append(item["id"])
                continue
            pledge = open_pledges.get(item["id"]) if item.get("id") else None
            if item.get("id") and pledge is None:
                raise ActionRefused(_("This pledge can no longer be changed; the co-funder has answered it."))
            if item.get("delete"):
                if pledge is not None:
                    pledge.delete()
                continue
            values = {
                "cofunder": item["cofunder"],
                "amount": item["amount"],
                "contact_email": item.get("contact_email", ""),
                "evidence": evidence,
            }
            if pledge is None:
                CoFundingPledge.objects.create(application=application, **values)
            else:
                for name, value in values.items():
                    setattr(pledge, name, value)
                pledge.save(update_fields=["cofunder", "amount", "contact_email", "evidence"])
        _update_requested_amount(application)
        _edited(application, actor, "cofunding", requested_amount=str(application.requested_amount))
    application.answered_meanwhile = answered_meanwhile
    return application


def attachment_add(*, application: Application, actor, upload, description: str = "") -> Attachment:
    """Check the file by its content and size, store it under a random name, record its digest."""
    kind = uploads.checked_kind(upload)
    with transaction.atomic():
        application = _lock_editable(application, actor)
        if application.attachments.count() >= MAX_ATTACHMENTS:
            raise ActionRefused(
                _("An application can have at most %(count)s attachments; delete one first.")
                % {"count": MAX_ATTACHMENTS}
            )
        # A double click, or the same file chosen twice: one copy (the lock above orders the two).
        twin = application.attachments.filter(sha256=uploads.sha256_of(upload), report=None).first()
        if twin is not None:
            raise ActionRefused(_("This file is already attached as “%(name)s”.") % {"name": twin.original_name})
        return uploads.add_attachment(upload, kind, application=application, actor=actor, description=description)


def attachment_delete(*, attachment: Attachment, actor) -> None:
    with transaction.atomic():
        application = _lock_editable(attachment.application, actor)
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk, application=application)
        if CoFundingPledge.objects.filter(evidence=attachment, status=PledgeStatus.CONFIRMED).exists():
            raise ActionRefused(
                _("“%(name)s” is the evidence of a confirmed co-funding pledge and cannot be deleted.")
                % {"name": attachment.original_name}
            )
        storage, name = attachment.file.storage, attachment.file.name
        record_event(
            attachment,
            actor=actor,
            action=ATTACHMENT_DELETED,
            application=application,
            data={"name": attachment.original_name, "sha256": attachment.sha256},
        )
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))
