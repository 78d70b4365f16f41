"""The acknowledgement of receipt a team gets when it submits (Awb 4:3a spirit)."""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format

from grants.models import Application

from .emails import queue_email


def queue_submission_receipt(application_id: int):
    application = Application.objects.select_related("scheme__funder", "team__contact").get(pk=application_id)
    context = {
        "reference": application.reference,
        "title": application.title,
        "scheme": application.scheme.name,
        "funder": application.scheme.funder.name,
        "contact_name": application.team.contact.get_full_name() or application.team.contact.email,
        "decision_due_date": date_format(application.decision_due_date, "j F Y")
        if application.decision_due_date
        else "",
        "url": settings.SITE_URL + reverse("home"),
    }
    return queue_email(
        key=f"receipt:{application.pk}",
        to=[application.team.contact.email],
        template="submission_receipt",
        context=context,
    )
