"""What the letters say, read as a municipal lawyer reads them: the Awb articles, the court to appeal
to, the money a settlement moves, and Dutch throughout, whatever language the officer uses the site in."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from documents.letters import dutch_date
from finance.services import RECOVERY_TERM
from grants.models import Report, Signatory
from tests.documents.test_letters import letter_text, take_award
from tests.factories import ApplicationFactory, force_status, staff
from tests.finance.conftest import make_payment
from workflow.states import DecisionKind, Role

pytestmark = pytest.mark.django_db


def upheld_objection_text(award_setup, callbacks) -> str:
    from workflow.actions import application_object, objection_decide

    application = award_setup["application"]
    take_award(award_setup, callbacks)
    objection = application_object(application=application, actor=application.team.contact, grounds="Te weinig")
    mail.outbox.clear()
    with callbacks(execute=True):
        objection_decide(objection=objection, actor=award_setup["decider"], overturn=False, reasons="Juist besloten")
    return letter_text(application.decisions.get(kind=DecisionKind.OBJECTION_UPHELD))


def test_a_decision_on_objection_sends_to_the_court_where_the_funder_sits_with_what_an_appeal_needs(
    award_setup, django_capture_on_commit_callbacks
):
    text = upheld_objection_text(award_setup, django_capture_on_commit_callbacks)
    # Awb 8:7: a municipality's or province's decision goes to the court where it sits, not the objector's.
    assert "beroep instellen bij de rechtbank in het arrondissement waarin Teststad ligt" in text
    assert "uw arrondissement" not in text
    assert "sector bestuursrecht" not in text  # gone since 2013
    assert "uw naam en adres, de datum, een omschrijving van de beslissing" in text
    assert "griffierecht" in text
    # The decision on objection rests on chapter 7 of the Awb, the objected decision on the scheme.
    assert "Deze beslissing op bezwaar is genomen op grond van de hoofdstukken 6 en 7" in text
    assert "Dit besluit is genomen op grond van" not in text
    # The e-mail points to the appeal, as it points to the objection for a first decision.
    (message,) = mail.outbox
    assert "beroep kunt instellen bij de rechtbank" in message.body
    assert "bezwaar kunt maken" not in message.body


def test_a_foundations_decision_on_objection_sends_to_the_court_where_the_objector_lives(
    award_setup, django_capture_on_commit_callbacks
):
    funder = award_setup["funder"]
    funder.kind = funder.Kind.FOUNDATION
    funder.save(update_fields=["kind"])
    text = upheld_objection_text(award_setup, django_capture_on_commit_callbacks)
    assert "beroep instellen bij de rechtbank in het arrondissement waar u woont of gevestigd bent" in text


def test_an_award_names_its_awb_articles_and_what_follows_when_obligations_are_not_met(
    award_setup, django_capture_on_commit_callbacks
):
    take_award(award_setup, django_capture_on_commit_callbacks)
    text = letter_text(award_setup["decision"])
    assert "en de artikelen 4:30, 4:37 tot en met 4:39 en 4:95 van de Algemene wet bestuursrecht" in text
    assert "Komt u de verplichtingen niet na, dan kunnen wij de subsidie lager vaststellen (artikel 4:46" in text
    assert "Het eindverslag geldt als uw aanvraag om de subsidie vast te stellen (artikel 4:44 Awb)" in text


def settle(application, officer, amount: str, callbacks) -> str:
    from workflow.actions import application_settle

    with translation.override("en"), callbacks(execute=True):  # the officer uses the site in English
        application_settle(application=application, actor=officer, amount=Decimal(amount), reasons="Kosten lager")
    return letter_text(application.decisions.get(kind=DecisionKind.SETTLEMENT))


@pytest.fixture
def reported(db):
    """Awarded € 10.000,00, an advance of € 8.000,00 paid, the final report in; letters run on commit."""
    application = ApplicationFactory(final_report_submitted=True)
    make_payment(application, status="paid", amount="8000.00")
    officer = staff(application.scheme.funder, Role.OFFICER)
    return application, officer


def test_a_settlement_above_what_was_paid_says_how_much_is_paid_and_within_six_weeks(
    reported, django_capture_on_commit_callbacks
):
    application, officer = reported
    text = settle(application, officer, "9000.00", django_capture_on_commit_callbacks)
    assert "Al aan u betaald € 8.000,00" in text
    assert "Het verschil van € 1.000,00 betalen wij u binnen zes weken na de datum van deze brief (artikel 4:87" in text
    assert "vier weken" not in text
    assert "de artikelen 4:44 tot en met 4:46 van de Algemene wet bestuursrecht" in text


def test_a_settlement_below_what_was_paid_says_how_much_is_recovered_and_the_recovery_is_dutch(
    reported, django_capture_on_commit_callbacks
):
    application, officer = reported
    text = settle(application, officer, "6000.00", django_capture_on_commit_callbacks)
    assert "U heeft € 2.000,00 te veel ontvangen. Dat bedrag vorderen wij terug (artikel 4:57 Awb)" in text
    recovery = application.decisions.get(kind=DecisionKind.RECOVERY)
    recovered = letter_text(recovery)
    assert "De subsidie is vastgesteld op € 6.000,00; € 8.000,00 is betaald." in recovered
    assert "was paid" not in recovered
    assert recovery.due_date == recovery.letter_date + RECOVERY_TERM
    assert f"uiterlijk op {dutch_date(recovery.due_date)}" in recovered
    assert "dan bent u in verzuim en bent u wettelijke rente verschuldigd (artikelen 4:97 en 4:98 Awb)" in recovered


def test_a_settlement_without_a_final_report_does_not_claim_one_was_received(django_capture_on_commit_callbacks):
    from workflow.actions import application_settle_without_report

    today = datetime.date.today()
    start, end = today - datetime.timedelta(days=400), today - datetime.timedelta(days=100)
    application = ApplicationFactory(active=True, project_start=start, project_end=end)
    Report.objects.create(application=application, kind=Report.Kind.FINAL, due_date=application.final_report_due_date)
    officer = staff(application.scheme.funder, Role.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        application_settle_without_report(
            application=application, actor=officer, amount=Decimal("0.00"), reasons="Geen eindverslag ontvangen"
        )
    text = letter_text(application.decisions.get(kind=DecisionKind.SETTLEMENT))
    assert "ontvangen en beoordeeld" not in text
    assert f"had uiterlijk op {dutch_date(application.final_report_due_date)} bij ons moeten zijn" in text
    assert "ambtshalve vast" in text
    assert "de artikelen 4:44, vierde lid, 4:46 en 4:47 van de Algemene wet bestuursrecht" in text
    assert "U ontvangt geen betaling en hoeft niets terug te betalen." in text  # nothing paid, nothing set
    assert "al volledig aan u betaald" not in text


def test_a_postponement_rests_on_the_first_paragraph_of_4_14_for_a_term_the_scheme_sets(
    django_capture_on_commit_callbacks,
):
    from workflow.actions import application_extend_term

    application = ApplicationFactory(in_review=True)
    officer = staff(application.scheme.funder, Role.OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        application_extend_term(application=application, actor=officer, weeks=4, reasons="Commissie vergadert later")
    text = letter_text(application.decisions.get(kind=DecisionKind.TERM_EXTENSION))
    assert "(artikel 4:14, eerste lid, Awb)" in text
    assert "derde lid" not in text
    assert "Tegen deze mededeling staat geen bezwaar open" in text
    assert "Bent u het niet eens" not in text


def test_an_extension_letter_lists_the_reports_still_due_in_dutch(award_setup, django_capture_on_commit_callbacks):
    from workflow.actions import application_request_extension, extension_decide, extension_prepare

    application = award_setup["application"]
    application.scheme.max_extension_months = 6
    application.scheme.save(update_fields=["max_extension_months"])
    take_award(award_setup, django_capture_on_commit_callbacks)
    force_status(application, "active")
    interim = Report.objects.create(
        application=application, kind=Report.Kind.INTERIM, due_date=application.project_start
    )
    force_status(interim, "accepted")
    Report.objects.create(application=application, kind=Report.Kind.FINAL, due_date=application.project_end)
    new_end = application.project_end + datetime.timedelta(days=60)
    extension = application_request_extension(
        application=application, actor=application.team.contact, motivation="Meer tijd", new_end_date=new_end
    )
    extension_prepare(extension=extension, actor=award_setup["officer"], recommend_grant=True, reasons="Redelijk")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        extension_decide(extension=extension, actor=award_setup["decider"], grant=True)
    text = letter_text(application.decisions.get(kind=DecisionKind.EXTENSION_GRANTED))
    final = application.reports.get(kind=Report.Kind.FINAL)
    assert f"U dient het eindverslag in uiterlijk op {dutch_date(final.due_date)}" in text
    assert dutch_date(interim.due_date) not in text  # handed in already
    assert "report" not in text.lower()
    assert "tussenrapportage" not in text


def test_without_a_signatory_the_mandate_line_names_the_body_as_the_law_does(
    award_setup, django_capture_on_commit_callbacks
):
    Signatory.objects.filter(funder=award_setup["funder"]).delete()
    take_award(award_setup, django_capture_on_commit_callbacks)
    text = letter_text(award_setup["decision"])
    funder = award_setup["funder"]
    place = funder.name.removeprefix("Gemeente ")
    assert f"namens het college van burgemeester en wethouders van {place}," in text
    assert f"van {funder.name}," not in text
