"""What an officer prepares can be taken as prepared, and until then it reads as advice.

An award prepared on a reviewed application used to be accepted ("a decider can now take it"),
after which the decider's button only said „Verlenen” is niet mogelijk zolang de status
„Beoordeeld” is; and a recommended extension read "Verlenging toegekend" before anyone decided.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Application, Decision
from tests.factories import ApplicationFactory, DecisionFactory, FunderFactory, SchemeFactory, force_status, staff
from workflow import actions
from workflow.actions.decisions import PREPARABLE
from workflow.exceptions import ActionRefused
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus, Role
from workflow.transitions import refusals

pytestmark = pytest.mark.django_db

S = ApplicationStatus
COFUNDING_FIRST = "Start eerst de controle van de cofinanciering: pas daarna wordt een verlening genomen."
NOT_NOW = "Dit besluit kan nu niet worden genomen:"


@pytest.fixture
def people():
    funder = FunderFactory()
    return {
        "scheme": SchemeFactory(funder=funder),
        "officer": staff(funder, Role.OFFICER),
        "decider": staff(funder, Role.DECIDER),
    }


def page(client, user, application) -> str:
    client.force_login(user)
    return client.get(reverse("workbench:application", args=[application.pk])).content.decode()


def take_button(application) -> str:
    return reverse("workbench:application_action", args=[application.pk, "take_decision"])


def act(client, application, action, data=None):
    return client.post(reverse("workbench:application_action", args=[application.pk, action]), data or {})


# --- 1. Only what can be taken is prepared ---------------------------------------------------------------


def test_an_award_prepared_before_the_cofunding_check_is_refused_with_what_to_do_first(client, people):
    application = ApplicationFactory(scheme=people["scheme"], reviewed=True)
    force_status(application.pledges.get(), "confirmed")
    client.force_login(people["officer"])
    response = act(client, application, "prepare_decision", {"kind": "award", "amount": "10000.00"})
    assert response.status_code == 422
    assert COFUNDING_FIRST in response.content.decode()
    assert "Besluit voorbereid; een besluitnemer kan het nu nemen." not in response.content.decode()
    assert not application.decisions.exists()
    # Done in that order, the decider takes it.
    assert act(client, application, "check_cofunding").status_code == 302
    response = act(client, application, "prepare_decision", {"kind": "award", "amount": "10000.00"})
    assert response.status_code == 302
    decision = application.decisions.get()
    assert take_button(application) in page(client, people["decider"], application)
    assert act(client, application, "take_decision", {"decision": decision.pk}).status_code == 302
    application.refresh_from_db()
    assert application.status == S.AWARDED


def test_a_rejection_is_prepared_and_taken_straight_after_the_review(client, people):
    application = ApplicationFactory(scheme=people["scheme"], reviewed=True)
    client.force_login(people["officer"])
    response = act(client, application, "prepare_decision", {"kind": "rejection", "reasons": "Te weinig samenhang"})
    assert response.status_code == 302
    decision = application.decisions.get()
    assert take_button(application) in page(client, people["decider"], application)
    act(client, application, "take_decision", {"decision": decision.pk})
    application.refresh_from_db()
    assert application.status == S.REJECTED


def _preparation(kind: str) -> dict:
    return {
        DecisionKind.AWARD: {"amount": Decimal("10000.00")},
        DecisionKind.REJECTION: {"reasons": "Te weinig samenhang tussen de activiteiten."},
        DecisionKind.CEILING_REJECTION: {},
    }[kind]


@pytest.mark.parametrize("kind", list(PREPARABLE))
@pytest.mark.parametrize("status", [s for s in S if s != S.DRAFT])
def test_every_prepared_decision_can_be_taken_as_prepared(kind, status):
    """Whatever the status and the kind: the officer is refused, or the decider can take it."""
    # A ceiling of 15,000 with 10,000 awarded leaves too little for a second 10,000 (a spent ceiling),
    # and 25,000 leaves enough for an award.
    ceiling = Decimal("15000.00") if kind == DecisionKind.CEILING_REJECTION else Decimal("25000.00")
    scheme = SchemeFactory(budget_ceiling=ceiling)
    ApplicationFactory(scheme=scheme, awarded=True)
    application = ApplicationFactory(scheme=scheme, status_=status)
    force_status(application.pledges.get(), "confirmed")
    officer, decider = staff(scheme.funder, Role.OFFICER), staff(scheme.funder, Role.DECIDER)

    def prepare():
        return actions.decision_prepare(application=application, actor=officer, kind=kind, **_preparation(kind))

    if refusals(application, PREPARABLE[kind]):  # the decider's transition is not possible from here
        with pytest.raises(ActionRefused):
            prepare()
        assert not application.decisions.exists()
        return
    decision = prepare()
    actions.decision_take(decision=decision, actor=decider)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.TAKEN
    assert Application.objects.get(pk=application.pk).status in (S.AWARDED, S.REJECTED)


# --- The decider sees the button only when taking is possible ------------------------------------------


def test_an_award_prepared_before_the_fix_shows_the_decider_why_not_instead_of_the_button(client, people):
    application = ApplicationFactory(scheme=people["scheme"], reviewed=True)
    DecisionFactory(application=application, prepared_by=people["officer"])  # as the old code let it be
    body = page(client, people["decider"], application)
    assert take_button(application) not in body
    assert "Dit besluit nemen" not in body
    assert NOT_NOW in body
    assert COFUNDING_FIRST in body
    assert COFUNDING_FIRST in page(client, people["officer"], application)  # the officer reads what to do


def test_an_award_short_of_confirmed_cofunding_shows_the_shortfall_instead_of_the_button(client, people):
    application = ApplicationFactory(scheme=people["scheme"], cofunding_check=True)
    force_status(application.pledges.get(), "pledged")
    decision = DecisionFactory(application=application, prepared_by=people["officer"])
    body = page(client, people["decider"], application)
    assert take_button(application) not in body
    assert "De bevestigde cofinanciering is € 0,00; deze verlening vraagt ten minste € 10.000,00." in body
    force_status(application.pledges.get(), "confirmed")
    assert take_button(application) in page(client, people["decider"], application)
    assert act(client, application, "take_decision", {"decision": decision.pk}).status_code == 302
    assert Application.objects.get(pk=application.pk).status == S.AWARDED


def test_the_decider_who_prepared_it_sees_the_four_eyes_rule_instead_of_the_button(client, people):
    application = ApplicationFactory(scheme=people["scheme"], cofunding_check=True)
    DecisionFactory(application=application, prepared_by=people["decider"])
    body = page(client, people["decider"], application)
    assert take_button(application) not in body
    assert "U heeft dit besluit voorbereid; een andere besluitnemer moet het nemen (vier ogen)." in body
    other_decider = staff(people["scheme"].funder, Role.DECIDER)
    assert take_button(application) in page(client, other_decider, application)


# --- 3. A prepared decision reads as advice until a decider takes it -------------------------------------


@pytest.mark.parametrize(
    ("kind", "advice", "taken_name"),
    [
        (DecisionKind.AWARD, "Advies: verlenen", "Verlenen"),
        (DecisionKind.REJECTION, "Advies: afwijzen", "Afwijzing"),
        (DecisionKind.CEILING_REJECTION, "Advies: afwijzen, het subsidieplafond is bereikt", "Afwijzing:"),
    ],
)
def test_a_prepared_award_or_rejection_reads_as_advice_on_the_workbench(client, people, kind, advice, taken_name):
    application = ApplicationFactory(scheme=people["scheme"], cofunding_check=True)
    decision = DecisionFactory(
        application=application,
        kind=kind,
        prepared_by=people["officer"],
        amount=Decimal("10000.00") if kind == DecisionKind.AWARD else None,
    )
    for user in (people["officer"], people["decider"]):
        body = page(client, user, application)
        assert f"<strong>{advice}</strong>" in body
        assert f"<li>{advice} — Voorbereid" in body  # the list of decisions and letters
        assert f"<strong>{taken_name}" not in body
        assert "Nog niet genomen: een besluitnemer neemt het besluit (vier ogen)." in body
    Decision.objects.filter(pk=decision.pk).update(status=DecisionStatus.TAKEN)
    body = page(client, people["officer"], application)
    assert f"<li>{taken_name}" in body
    assert advice not in body


def test_a_prepared_revocation_reads_as_advice_and_sends_the_decider_to_the_page_that_takes_it(client, people):
    application = ApplicationFactory(scheme=people["scheme"], active=True)
    actions.revocation_prepare(application=application, actor=people["officer"], reasons="Geen verslag, geen contact")
    body = page(client, people["decider"], application)
    assert "<strong>Advies: subsidie intrekken</strong>" in body
    assert "Intrekking —" not in body
    assert take_button(application) not in body  # decision_take refuses a revocation ("alleen een verlening …")
    terms = reverse("deadlines:application", args=[application.pk])
    assert f'<a href="{terms}">Beslissen op de pagina van het project</a>' in body
    client.force_login(people["decider"])
    assert "Advies: subsidie intrekken" in client.get(terms).content.decode()  # its list of letters


@pytest.fixture
def extension_request(people):
    scheme = SchemeFactory(funder=people["scheme"].funder, max_extension_months=6)
    application = ApplicationFactory(scheme=scheme, active=True)
    extension = actions.application_request_extension(
        application=application,
        actor=application.team.contact,
        motivation="De pilot loopt goed; twee scholen willen aansluiten.",
        new_end_date=application.project_end + datetime.timedelta(days=60),
    )
    return extension


@pytest.mark.parametrize(
    ("grant", "advice", "decided"),
    [
        (True, "Advies: verlenging toekennen", "Verlenging toegekend"),
        (False, "Advies: verlenging weigeren", "Verlenging geweigerd"),
    ],
)
def test_an_extension_recommendation_reads_as_advice_until_a_decider_decides(
    client, people, extension_request, grant, advice, decided
):
    actions.extension_prepare(
        extension=extension_request, actor=people["officer"], recommend_grant=grant, reasons="Goede resultaten"
    )
    url = reverse("deadlines:extension", args=[extension_request.pk])
    for user in (people["officer"], people["decider"]):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert f"<strong>{advice}</strong> — voorbereid door {people['officer']}" in body
        assert decided not in body
    workbench = page(client, people["decider"], extension_request.application)
    assert f"<strong>{advice}</strong>" in workbench
    assert decided not in workbench
    assert f'<a href="{url}">Beslissen op de pagina van het verzoek om verlenging</a>' in workbench
    client.force_login(people["decider"])
    response = client.post(url, {"step": "decide", "decision": "grant" if grant else "deny", "reasons": ""})
    assert response.status_code == 302
    terms = client.get(reverse("deadlines:application", args=[extension_request.application_id])).content.decode()
    assert f"<td>{decided}</td><td>Genomen</td>" in terms
