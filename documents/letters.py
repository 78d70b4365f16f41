"""What a letter says: the context of each letter kind, from a decision or from sample data.

Templates live in `documents/templates/documents/letters/<kind>.html`, all extending
`base.html`, which carries the legally required parts (letterhead, date, kenmerk,
addressee, subject, legal basis, objection clause, signature with mandate, page numbers).
Letters are Dutch legal documents: their templates are written in Dutch.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from finance.services import RECOVERY_TERM, advance_due_date
from grants.models import Application, Decision, Scheme, Signatory, add_months
from grants.money import format_euro, share_of
from grants.terms import objection_period_end
from workflow.states import OPEN_REPORT_STATES, DecisionKind

from .models import LetterText
from .rendering import media_url

K = DecisionKind

SUBJECTS = {
    K.INFORMATION_REQUEST: "Verzoek om aanvullende gegevens",
    K.NOT_CONSIDERED: "Besluit: aanvraag buiten behandeling gesteld",
    K.INELIGIBLE: "Besluit: aanvraag afgewezen (niet ontvankelijk)",
    K.AWARD: "Besluit: subsidieverlening (verleningsbeschikking)",
    K.REJECTION: "Besluit: aanvraag afgewezen",
    K.CEILING_REJECTION: "Besluit: aanvraag afgewezen wegens bereikt subsidieplafond",
    K.TERM_EXTENSION: "Verdaging van de beslistermijn",
    K.EXTENSION_GRANTED: "Besluit: verlenging van de projectperiode toegekend",
    K.EXTENSION_DENIED: "Besluit: verlenging van de projectperiode geweigerd",
    K.SETTLEMENT: "Besluit: vaststelling van de subsidie",
    K.OBJECTION_UPHELD: "Beslissing op bezwaar: bezwaar ongegrond",
    K.OBJECTION_OVERTURNED: "Beslissing op bezwaar: bezwaar gegrond",
    K.REVOCATION: "Besluit: intrekking van de subsidieverlening",
    K.RECOVERY: "Besluit: terugvordering van subsidie",
}
# Kinds that are no besluit (Awb 1:3) and so carry no objection clause.
NOT_A_DECISION = {K.INFORMATION_REQUEST, K.TERM_EXTENSION}
# After an objection the way forward is appeal (beroep) at the court, not another objection.
APPEAL_KINDS = {K.OBJECTION_UPHELD, K.OBJECTION_OVERTURNED}
# The articles of the Awb a decision of each kind rests on, printed under "Wettelijke grondslag" next to
# the scheme; a kind not listed rests on the scheme and title 4.2 (subsidies) as a whole.
AWB_ARTICLES = {
    K.NOT_CONSIDERED: "artikel 4:5",
    K.AWARD: "de artikelen 4:30, 4:37 tot en met 4:39 en 4:95",
    K.CEILING_REJECTION: "artikel 4:25, tweede lid,",
    K.SETTLEMENT: "de artikelen 4:44 tot en met 4:46",
    K.REVOCATION: "artikel 4:48",
    K.RECOVERY: "de artikelen 4:57, 4:86 en 4:87",
}
# A settlement without a final report (workflow.actions.deadlines.application_settle_without_report).
AWB_ARTICLES_OWN_INITIATIVE_SETTLEMENT = "de artikelen 4:44, vierde lid, 4:46 en 4:47"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")


def render_markdown(text: str) -> str:
    """Markdown with HTML disabled (shown as text) and no images: safe to place in a letter."""
    return mark_safe(_markdown.render(text or ""))  # noqa: S308 - markdown-it escapes every HTML tag


def paragraphs(text: str) -> str:
    """Plain text typed by staff (reasons, conditions): escaped, blank lines become paragraphs."""
    blocks = [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n") if block.strip()]
    return mark_safe("".join(f"<p>{escape(block)}</p>".replace("\n", "<br>") for block in blocks))  # noqa: S308


def dutch_date(day) -> str:
    if day is None:
        return ""
    with translation.override("nl"):
        return date_format(day, "j F Y")


def euro(amount) -> str:
    return format_euro(amount, "nl") if amount is not None else ""


@dataclass
class LetterContent:
    kind: str
    context: dict = field(default_factory=dict)

    def html(self) -> str:
        with translation.override("nl"):
            return render_to_string(f"documents/letters/{self.kind}.html", self.context)


def signature_for(decision, funder) -> dict:
    """The decider's signatory entry; without one, the decider's name under the governing body."""
    user = decision.decided_by or decision.prepared_by
    signatory = None
    if user is not None and getattr(user, "pk", None):
        signatory = Signatory.objects.filter(funder=funder, user=user).first()
    if signatory is not None:
        return {"name": signatory.name, "job_title": signatory.job_title, "mandate_line": signatory.mandate_line}
    name = (user.get_full_name() or user.email) if user is not None else funder.name
    return {"name": name, "job_title": "", "mandate_line": f"namens {funder.governing_body} van {body_place(funder)}"}


def body_place(funder) -> str:
    """What follows "van" after the governing body: "Gedeputeerde Staten van Limburg", not "van Provincie Limburg"."""
    prefix = {"municipality": "gemeente ", "province": "provincie "}.get(funder.kind)
    if prefix and funder.name.lower().startswith(prefix):
        return funder.name[len(prefix) :]
    return funder.name


def text_blocks(scheme, kind) -> dict:
    texts = {}
    if getattr(scheme, "pk", None):
        for text in LetterText.objects.filter(scheme=scheme, kind=kind):
            texts[text.position] = render_markdown(text.body)
    return texts


# "het ... verslag" in a Dutch letter, whatever language the site speaks when it is rendered.
REPORT_LABELS = {"interim": "tussentijds verslag", "final": "eindverslag"}


def report_dates(application) -> list[dict]:
    """The reports still to come in; without scheduled reports (the preview), those the scheme asks for."""
    reports = list(application.reports.order_by("due_date")) if application.pk else []
    if reports:
        return [
            {"label": REPORT_LABELS[report.kind], "due": dutch_date(report.due_date)}
            for report in reports
            if report.status in OPEN_REPORT_STATES
        ]
    scheme = application.scheme
    dates = []
    if application.project_start and scheme.interim_report_months:
        dates.append(
            {
                "label": "tussentijds verslag",
                "due": dutch_date(add_months(application.project_start, scheme.interim_report_months)),
            }
        )
    if application.project_end:
        dates.append(
            {
                "label": "eindverslag",
                "due": dutch_date(application.project_end + datetime.timedelta(weeks=scheme.final_report_weeks)),
            }
        )
    return dates


def build_content(decision, *, version: int = 1, reference: str = "", letter_date=None) -> LetterContent:
    """Everything the template of `decision.kind` needs, computed once."""
    application = decision.application
    scheme = application.scheme
    funder = scheme.funder
    kind = decision.kind
    contact = application.team.contact
    schools = list(application.schools.all()) if application.pk else getattr(application, "_sample_schools", [])
    letter_date = letter_date or decision.letter_date or timezone.localdate()
    amount = decision.amount
    awarded = application.awarded_amount if application.awarded_amount is not None else amount
    # A recovery taken with a decision on objection is part of it (Awb 7:11): appeal, not objection.
    on_objection = bool((decision.data or {}).get("on_objection"))
    context = {
        "kind": kind,
        "subject": SUBJECTS[kind],
        "title": f"{SUBJECTS[kind]} - {application.reference}",
        "decision": decision,
        "application": application,
        "scheme": scheme,
        "funder": funder,
        "logo_url": media_url(funder.logo.name) if funder.logo else "",
        "letter_date": dutch_date(letter_date),
        "reference": reference or f"{application.reference}/{decision.pk}",
        "version": version,
        "contact_name": contact.get_full_name() or contact.email,
        "team": application.team,
        "schools": schools,
        "reasons": paragraphs(decision.reasons),
        "conditions": paragraphs(decision.conditions),
        "texts": text_blocks(scheme, kind),
        "signature": signature_for(decision, funder),
        "objection_clause": kind not in NOT_A_DECISION and kind not in APPEAL_KINDS and not on_objection,
        "appeal_clause": kind in APPEAL_KINDS or on_objection,
        "objection_deadline": dutch_date(objection_period_end(letter_date)),
        "awb_articles": AWB_ARTICLES.get(kind, ""),
        "amount": euro(amount),
        "awarded_amount": euro(awarded),
        "requested_amount": euro(application.requested_amount),
        "due_date": dutch_date(decision.due_date),
        "decision_due_date": dutch_date(application.decision_due_date),
        "project_start": dutch_date(application.project_start),
        "project_end": dutch_date(application.project_end),
        "data": decision.data or {},
    }
    if kind in (K.AWARD, K.OBJECTION_OVERTURNED, K.EXTENSION_GRANTED):
        base = awarded or Decimal("0")
        # The same rounding as the payment finance schedules (payment_schedule_advance).
        advance = share_of(base, scheme.advance_percentage)
        # The date finance schedules the advance on (workflow.actions.money.payment_schedule_advance).
        advance_due = advance_due_date(application, letter_date)
        context.update(
            advance=euro(advance),
            advance_due=dutch_date(advance_due),
            advance_at_start=advance_due > letter_date,
            advance_percentage=f"{scheme.advance_percentage.normalize():f}".replace(".", ","),
            remainder=euro(base - advance),
            reports=report_dates(application),
            settlement_weeks=scheme.settlement_term_weeks,
            final_report_weeks=scheme.final_report_weeks,
            required_cofunding=euro(application.required_cofunding(base)),
            new_end_date=dutch_date(_date(decision.data.get("new_end_date"))) if decision.data else "",
        )
    if kind == K.SETTLEMENT:
        context.update(settlement_context(decision, application))
    if kind == K.RECOVERY:
        context.update(
            settled=euro(_decimal(decision.data.get("settled"))),
            paid=euro(_decimal(decision.data.get("paid"))),
            funder_iban=funder.iban,
        )
    if kind == K.REVOCATION:
        paid = _decimal((decision.data or {}).get("paid"))
        context["paid_before_revocation"] = euro(paid) if paid else ""
    if kind in (K.EXTENSION_DENIED, K.EXTENSION_GRANTED):
        context["new_end_date"] = dutch_date(_date((decision.data or {}).get("new_end_date")))
    if kind == K.OBJECTION_OVERTURNED:
        context["overturn"] = overturn_context((decision.data or {}).get("overturn"))
    return LetterContent(kind, context)


def settlement_context(decision, application) -> dict:
    """The amount set, what was paid before it and the difference (paid out or recovered).

    What was paid is what ``payments_after_settlement`` found when the decision was taken; a
    settlement taken before it recorded that has no figures, and its letter says the rule.
    """
    data = decision.data or {}
    settled = decision.amount if decision.amount is not None else application.settled_amount
    paid = _decimal(data.get("paid"))
    difference = settled - paid if settled is not None and paid is not None else None
    own_initiative = bool(data.get("own_initiative"))
    report_due = data.get("final_report_due")  # str(date): "None" when no end date was known
    return {
        "settled_amount": euro(settled),
        "settlement": data,
        "own_initiative": own_initiative,
        "final_report_due": dutch_date(_date(report_due if report_due != "None" else None)),
        "paid_before_settlement": euro(paid),
        "settlement_known": difference is not None,
        "nothing_paid": paid == 0,
        "settlement_remainder": euro(difference) if difference is not None and difference > 0 else "",
        "settlement_excess": euro(-difference) if difference is not None and difference < 0 else "",
        "awb_articles": AWB_ARTICLES_OWN_INITIATIVE_SETTLEMENT if own_initiative else AWB_ARTICLES[K.SETTLEMENT],
    }


PAYMENT_KINDS = {"advance": "voorschot", "remainder": "restantbetaling", "recovery": "terugvordering"}


def overturn_context(overturn: dict | None) -> dict | None:
    """The new decision and what it did to the payments (``objection_decide``'s data), in Dutch.

    None for a decision taken before the data was recorded: its letter says what it said then.
    """
    if not overturn:
        return None

    def payments(key):
        return [
            {
                "kind": PAYMENT_KINDS.get(p["kind"], p["kind"]),
                "amount": euro(_decimal(p["amount"])),
                "due_date": dutch_date(_date(p.get("due_date"))),
            }
            for p in overturn.get(key) or []
        ]

    return {
        "from": overturn.get("from"),
        "to": overturn.get("to"),
        "previous_amount": euro(_decimal(overturn.get("previous_amount"))),
        "amount": euro(_decimal(overturn.get("amount"))),
        "previous_settled": euro(_decimal(overturn.get("previous_settled"))),
        "settled": euro(_decimal(overturn.get("settled"))),
        "cancelled": payments("cancelled"),
        "scheduled": payments("scheduled"),
        "recoveries_cancelled": payments("recoveries_cancelled"),
        "repaid": payments("repaid"),
        "recovery": euro(_decimal(overturn.get("recovery"))),
        # An extension refused, granted on objection (objection_decide on an extension decision).
        "previous_end_date": dutch_date(_date(overturn.get("previous_end_date"))),
        "new_end_date": dutch_date(_date(overturn.get("new_end_date"))),
        "extra_amount": euro(_decimal(overturn.get("extra_amount"))),
    }


def _date(value):
    if not value:
        return None
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _decimal(value):
    return Decimal(value) if value not in (None, "") else None


def letter_content(letter) -> LetterContent:
    content = build_content(letter.decision, version=letter.version, reference=letter.reference)
    content.context["correction_reason"] = letter.correction_reason
    return content


# --- Sample data for the preview: nothing is saved ------------------------------------------------


def _sample_signer(funder):
    """Who signs the preview: the funder's first signatory with a decider's account, so the admin sees
    the real signature and mandate line; a made-up decider when none is set up yet."""
    signatory = Signatory.objects.filter(funder=funder, user__isnull=False).select_related("user").first()
    if signatory is not None:
        return signatory.user
    return SimpleNamespace(get_full_name=lambda: "M. (Marieke) Jansen", email="", pk=None)


def sample_decision(kind: str, scheme: Scheme, *, decider=None) -> Decision:
    """An unsaved decision of `kind` for `scheme`, with a plausible team and amounts."""
    today = timezone.localdate()
    contact = SimpleNamespace(get_full_name=lambda: "J. (Jamila) de Boer", email="j.deboer@example.nl")
    team = SimpleNamespace(name="Lerarenteam Onderzoekend Leren", contact=contact)
    application = Application(
        scheme=scheme,
        reference=f"{scheme.reference_prefix}-{today.year}-00042",
        title="Onderzoekend leren in groep 7 en 8",
        requested_amount=Decimal("12345.00"),
        awarded_amount=Decimal("12345.00") if kind not in (K.REJECTION, K.CEILING_REJECTION) else None,
        project_start=today + datetime.timedelta(days=30),
        project_end=add_months(today + datetime.timedelta(days=30), 12),
        decision_due_date=today + datetime.timedelta(weeks=scheme.decision_term_weeks),
    )
    if kind == K.EXTENSION_GRANTED:
        # Granted, the project already runs to the new end date and the reports have moved with it.
        application.project_end = today + datetime.timedelta(days=500)
    application._state.fields_cache["team"] = team  # unsaved sample: fill the relation caches directly
    application._sample_schools = [SimpleNamespace(name="Basisschool De Linde", city="Teststad", brin="12AB")]
    decider = decider or _sample_signer(scheme.funder)
    data = {
        K.EXTENSION_GRANTED: {"new_end_date": (today + datetime.timedelta(days=500)).isoformat()},
        K.EXTENSION_DENIED: {"new_end_date": (today + datetime.timedelta(days=500)).isoformat()},
        K.RECOVERY: {"settled": "10000.00", "paid": "12345.00"},
        K.SETTLEMENT: {"paid": "9876.00"},
        K.OBJECTION_OVERTURNED: {
            "overturn": {
                "from": "awarded",
                "to": "awarded",
                "previous_amount": "10000.00",
                "amount": "12345.00",
                "cancelled": [{"kind": "advance", "amount": "8000.00", "due_date": today.isoformat()}],
                "scheduled": [{"kind": "advance", "amount": "9876.00", "due_date": today.isoformat()}],
            }
        },
    }.get(kind, {})
    amount = {
        K.AWARD: Decimal("12345.00"),
        K.SETTLEMENT: Decimal("10000.00"),
        K.RECOVERY: Decimal("2345.00"),
        K.EXTENSION_GRANTED: Decimal("0.00"),
    }.get(kind)
    decision = Decision(
        pk=None,
        application=application,
        kind=kind,
        amount=amount,
        reasons="Voorbeeldtekst van de motivering. Hier staan de redenen van het besluit.",
        conditions="Voorbeeld van een bijzondere verplichting.",
        # A recovery is due in six weeks (finance.services.RECOVERY_TERM); a request for information sooner.
        due_date=today + (RECOVERY_TERM if kind == K.RECOVERY else datetime.timedelta(days=14)),
        letter_date=today,
        data=data,
    )
    decision._state.fields_cache["decided_by"] = decider
    decision._state.fields_cache["prepared_by"] = decider
    return decision


def sample_content(kind: str, scheme: Scheme) -> LetterContent:
    decision = sample_decision(kind, scheme)
    return build_content(decision, reference=f"{decision.application.reference}/VOORBEELD")
