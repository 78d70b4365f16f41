"""E-mails: the plain-text part and the subject read names as typed, the HTML part escapes them.

"Gemeente 's-Hertogenbosch" came out as "Gemeente &#x27;s-Hertogenbosch" in the text of every
e-mail: the text templates were rendered with HTML autoescaping. Every kind under
`documents/emails/<kind>/` is checked, so a new one is covered without being listed here.
"""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.template import engines
from django.template.utils import get_app_template_dirs
from django.utils.html import escape

from documents.emails import deliver_email, queue_email
from grants.models import CoFundingPledge
from tests.factories import ApplicationFactory, FunderFactory, SchemeFactory, TeamFactory
from workflow.actions import application_submit

pytestmark = pytest.mark.django_db

FUNDER = "Gemeente 's-Hertogenbosch"
SCHEME = "Onderwijsinnovatiefonds 's-Hertogenbosch 2026"
TEAM = "Lerarenteam Poolster & Palet <groep 7/8>"
TITLE = 'Kunst & cultuur "in de klas"'
PERSON = "Anne d'Hondt"
ORGANISATION = "Stichting Kunst & Co <Den Bosch>"
# Every one has a character HTML escapes: in the HTML part none may appear as typed.
NAMES = (FUNDER, SCHEME, TEAM, TITLE, PERSON, ORGANISATION)

# What the context builders put in, with the names above wherever a name goes.
SAMPLE = {
    "reference": "OIF-2026-00042",
    "title": TITLE,
    "scheme": SCHEME,
    "funder": FUNDER,
    "team": TEAM,
    "contact_name": PERSON,
    "name": PERSON,
    "inviter": PERSON,
    "role": "behandelaar",
    "cofunder": ORGANISATION,
    "objector": ORGANISATION,
    "subject": "Besluit: aanvraag afgewezen",
    "decision": "Besluit: aanvraag afgewezen",
    "letter_date": "20 januari 2026",
    "received_on": "2 maart 2026",
    "submitted_on": "2 maart 2026",
    "due_date": "14 april 2026",
    "decision_due_date": "14 april 2026",
    "date": "3 maart 2026",
    "when": "3 maart 2026, 14:05",
    "email": "contact@school.example.nl",
    "expires": "17 maart 2026",
    "days_left": 3,
    "days": 30,
    "count": 1,
    "version": 1,
    "kind": "final",
    "overdue": False,
    "objection_clause": True,
    "appeal_clause": False,
    "was_confirmed": True,
    "amount": "€ 5.000,00",
    "confirmed": "€ 5.000,00",
    "required": "€ 10.000,00",
    "reasons": "Het advies van de jurist volgt.",
    "applications": [
        {"reference": "OIF-2026-00042", "title": TITLE, "scheme": SCHEME, "due_date": "1 maart 2026", "days_overdue": 2}
    ],
    "url": "https://grantdesk.example.nl/portal/",
    "login_url": "https://grantdesk.example.nl/accounts/login/",
    "reset_url": "https://grantdesk.example.nl/accounts/password-reset/",
    "filename": "brief.pdf",
}
HTML_ESCAPE = re.compile(r"&(#x?[0-9a-fA-F]+|amp|lt|gt|quot|apos);")
MISSING = "MISSING-VARIABLE"


def email_kinds() -> list[str]:
    """Every folder with a subject.txt under documents/emails/ in the project's and the apps' templates
    (what the filesystem and app-directories loaders search)."""
    folders = [*engines["django"].engine.dirs, *get_app_template_dirs("templates")]
    found = (path for folder in folders for path in Path(folder).glob("documents/emails/*/subject.txt"))
    return sorted({path.parent.name for path in found})


KINDS = email_kinds()


@pytest.fixture
def strict_templates(settings):
    """A variable the sample lacks shows up as MISSING-VARIABLE, so a new kind cannot pass unchecked."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"], "string_if_invalid": MISSING}}
    ]


def sent(kind: str):
    email = queue_email(key=f"test:{kind}", to=["contact@school.example.nl"], template=kind, context=SAMPLE)
    assert deliver_email(email.pk)
    (message,) = mail.outbox
    return message


def test_every_kind_is_found():
    assert {"submission_receipt", "letter", "pledge_withdrawn", "pledge_link", "objection_received"} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_names_are_plain_in_the_text_and_escaped_in_the_html(kind, strict_templates):
    message = sent(kind)
    html = message.alternatives[0][0]
    for part in (message.subject, message.body, html):
        assert MISSING not in part
    assert not HTML_ESCAPE.search(message.subject), message.subject
    assert not HTML_ESCAPE.search(message.body), message.body
    shown = [name for name in NAMES if name in message.body]
    assert shown, f"no name in the text of {kind}"
    for name in shown:
        assert escape(name) in html
        assert name not in html


def test_submitting_in_s_hertogenbosch_reads_well_in_the_receipt_and_the_cofunders_link(
    django_capture_on_commit_callbacks,
):
    funder = FunderFactory(name=FUNDER)
    application = ApplicationFactory(
        scheme=SchemeFactory(funder=funder, name=SCHEME),
        team=TeamFactory(name="Lerarenteam Poolster & Palet"),
        title="Muziek & beweging",
    )
    pledge = application.pledges.get()
    CoFundingPledge.objects.filter(pk=pledge.pk).update(contact_email="penningmeester@bestuur.nl")
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, actor=application.team.contact)

    receipt = next(m for m in mail.outbox if m.to == [application.team.contact.email])
    assert 'uw aanvraag "Muziek & beweging" voor Onderwijsinnovatiefonds \'s-Hertogenbosch 2026' in receipt.body
    assert "Gemeente 's-Hertogenbosch beslist uiterlijk op" in receipt.body
    link = next(m for m in mail.outbox if m.to == ["penningmeester@bestuur.nl"])
    # The team's name is its own ("Lerarenteam ..."): not "Het lerarenteam Lerarenteam ...".
    assert 'Het team "Lerarenteam Poolster & Palet" heeft bij Gemeente \'s-Hertogenbosch' in link.body
    assert "Muziek & beweging" in link.subject
    assert 'Het team "Lerarenteam Poolster &amp; Palet" heeft' in link.alternatives[0][0]
