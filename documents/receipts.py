"""Acknowledgements of receipt: of an application when the team submits it (Awb 4:3a spirit), and
of an objection however it came in (Awb 6:14). Each is queued once (its key) and sent after commit."""

from django.conf import settings
from django.urls import reverse

from grants.models import Application, Objection

from .emails import queue_email
from .letters import SUBJECTS, dutch_date
from .models import OutgoingEmail


def _application_context(application: Application) -> dict:
    contact = application.team.contact
    return {
        "reference": application.reference,
        "title": application.title,
        "scheme": application.scheme.name,
        "funder": application.scheme.funder.name,
        "contact_name": contact.get_full_name() or contact.email,
    }


def queue_submission_receipt(application_id: int) -> OutgoingEmail:
    application = Application.objects.select_related("scheme__funder", "team__contact").get(pk=application_id)
    context = {
        **_application_context(application),
        "decision_due_date": dutch_date(application.decision_due_date),  # Dutch also for an English session
        "url": settings.SITE_URL + reverse("home"),
    }
    return queue_email(
        key=f"receipt:{application.pk}",
        to=[application.team.contact.email],
        template="submission_receipt",
        context=context,
    )


def queue_objection_receipt(objection_id: int) -> OutgoingEmail:
    """The written acknowledgement of an objection (Awb 6:14), to the objector: the team's contact
    person, or someone else whose address the officer registered (the team gets a copy).

    Also for an objection an officer registered from a letter: it is on file, and by when the
    funder decides. It names the decision objected to as its letter does (subject,
    date), so the team can tell which one when there were several.
    """
    objection = Objection.objects.select_related(
        "decision", "application__scheme__funder", "application__team__contact"
    ).get(pk=objection_id)
    application = objection.application
    to, cc, name = objection.addressees()
    context = {
        **_application_context(application),
        "contact_name": name,
        "to_objector": bool(objection.objector_email),  # a third party: not "your application"
        "decision": SUBJECTS[objection.decision.kind],
        "letter_date": dutch_date(objection.decision.letter_date),
        "received_on": dutch_date(objection.received_day),
        "objector": objection.objector,  # empty when the team lodged it in the portal
        "due_date": dutch_date(objection.due_date),
        "url": settings.SITE_URL + reverse("portal:application", args=[application.pk]),
    }
    return queue_email(
        key=f"objection-received:{objection.pk}",
        to=to,
        cc=cc,
        template="objection_received",
        context=context,
    )
