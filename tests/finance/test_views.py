"""The finance pages: who may see them, the batch workflow through HTTP, no 500s, bounded queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from finance.models import Payment, PayoutBatch
from grants.models import Report, ReportCostLine, Scheme
from tests.factories import ApplicationFactory, DecisionFactory, force_status, staff
from workflow.states import Role

from .conftest import IBAN_BOARD, confirm_bank_details, make_payment

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def approved(funder):
    payments = []
    for amount in ("8000.00", "1500.50"):
        application = ApplicationFactory(active=True, scheme__funder=funder)
        confirm_bank_details(application.schools.get().board)
        payments.append(make_payment(application, amount=amount))
    return payments


def funder_urls(funder, batch=None):
    urls = [reverse("finance:funder", args=[funder.slug]), reverse("finance:overview", args=[funder.slug])]
    urls.append(reverse("finance:overview_csv", args=[funder.slug]))
    if batch:
        urls.append(reverse("finance:batch", args=[funder.slug, batch.pk]))
    return urls


def test_finance_pages_are_for_finance_and_deciders_of_that_funder(
    client, settings, funder, finance_officer, decider, officer
):
    settings.LOGIN_URL = "/accounts/login/"
    batch = PayoutBatch.objects.create(funder=funder, reference="B1", created_by=finance_officer)
    stranger = staff(ApplicationFactory().scheme.funder, Role.FINANCE)
    applicant = ApplicationFactory(scheme__funder=funder).team.contact
    for user, expected in ((finance_officer, 200), (decider, 200), (officer, 403), (stranger, 404), (applicant, 404)):
        client.force_login(user)
        for url in funder_urls(funder, batch):
            assert client.get(url).status_code == expected, (user, url)
    client.logout()
    assert client.get(funder_urls(funder)[0]).status_code == 302


def test_batch_of_another_funder_is_not_found(client, funder, finance_officer):
    other = ApplicationFactory().scheme.funder
    batch = PayoutBatch.objects.create(funder=other, reference="B2", created_by=finance_officer)
    client.force_login(finance_officer)
    assert client.get(reverse("finance:batch", args=[funder.slug, batch.pk])).status_code == 404


def test_build_export_download_and_mark_paid_through_the_pages(client, funder, finance_officer, approved):
    client.force_login(finance_officer)
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("finance:batch_build", args=[funder.slug]), {"due_before": today, "execution_date": today}
    )
    batch = PayoutBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("finance:batch", args=[funder.slug, batch.pk])
    assert client.get(response.url).status_code == 200
    assert client.get(reverse("finance:batch_download", args=[funder.slug, batch.pk, "csv"])).status_code == 404
    client.post(reverse("finance:batch_export", args=[funder.slug, batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "exported"
    for fmt in ("csv", "xlsx", "sepa"):
        response = client.get(reverse("finance:batch_download", args=[funder.slug, batch.pk, fmt]))
        assert response.status_code == 200
        assert response["X-Content-SHA256"] == batch.sha256_for(fmt)
        assert b"".join(response.streaming_content)
    failed = approved[1]
    response = client.post(
        reverse("finance:batch_mark_paid", args=[funder.slug, batch.pk]), {f"failed_{failed.pk}": "AC04"}
    )
    assert response.status_code == 302
    assert Payment.objects.get(pk=approved[0].pk).status == "paid"
    assert Payment.objects.get(pk=failed.pk).status == "approved"


def test_build_with_nothing_due_keeps_the_input_and_says_why(client, funder, finance_officer):
    client.force_login(finance_officer)
    response = client.post(
        reverse("finance:batch_build", args=[funder.slug]), {"due_before": "2020-01-01", "execution_date": "2099-01-01"}
    )
    assert response.status_code == 200
    assert "2099-01-01" in response.content.decode()
    assert response.context["build_form"].non_field_errors()


def test_approve_without_bank_details_shows_a_clear_message(client, funder, application, finance_officer):
    payment = make_payment(application, status="scheduled")
    client.force_login(finance_officer)
    response = client.post(reverse("finance:payment_approve", args=[funder.slug, payment.pk]), follow=True)
    assert "heeft nog geen bevestigde bankgegevens" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == "scheduled"


def test_dashboard_queries_do_not_grow_with_payments(
    client, funder, finance_officer, approved, django_assert_max_num_queries
):
    for _n in range(10):
        application = ApplicationFactory(active=True, scheme__funder=funder)
        make_payment(application, status="scheduled")
    client.force_login(finance_officer)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("finance:funder", args=[funder.slug])).status_code == 200


def test_overview_figures_and_csv(client, funder, finance_officer, approved):
    make_payment(approved[0].application, status="paid", kind="advance", amount="100.00")
    client.force_login(finance_officer)
    response = client.get(reverse("finance:overview", args=[funder.slug]))
    assert response.status_code == 200
    figures = response.context["schemes"]
    total = {f.scheme.pk: f for f in figures}
    scheme_row = total[approved[0].application.scheme_id]
    assert scheme_row.awarded == D("10000.00")
    assert scheme_row.paid == D("100.00")
    assert scheme_row.outstanding == D("9900.00")
    assert scheme_row.cofunding == D("10000.00")
    assert "<svg" in response.content.decode()
    response = client.get(reverse("finance:overview_csv", args=[funder.slug]))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert ";10000,00;100,00;" in body


def test_money_sent_to_the_bank_is_shown_and_no_longer_outstanding(funder, approved):
    """The settlement counts an exported payment as paid; the overview said "paid € 0, outstanding all"."""
    from finance.selectors import scheme_figures

    sent = approved[0]
    batch = PayoutBatch.objects.create(funder=funder, reference="B-1", created_by=staff(funder, Role.FINANCE))
    Payment.objects.filter(pk=sent.pk).update(status="exported", batch=batch)
    row = next(f for f in scheme_figures(funder) if f.scheme.pk == sent.application.scheme_id)
    assert (row.paid, row.at_the_bank) == (D("0.00"), D("8000.00"))
    assert row.outstanding == D("10000.00") - D("8000.00")


def test_an_award_stays_in_the_month_it_was_made_when_later_decisions_follow(funder):
    """Settling, revoking or deciding an objection overwrite `Application.decided_at`; the award's month stays."""
    from finance.selectors import monthly_figures
    from grants.models import Application

    august = timezone.make_aware(datetime.datetime(2026, 8, 14, 10))
    application = ApplicationFactory(active=True, scheme__funder=funder, amount=D("7000.00"))
    DecisionFactory(application=application, kind="award", status="taken", decided_at=august, amount=D("7000.00"))
    Application.objects.filter(pk=application.pk).update(decided_at=august + datetime.timedelta(days=90))
    months = {row["month"]: row["awarded"] for row in monthly_figures(funder) if row["awarded"]}
    assert months[datetime.date(2026, 8, 1)] >= D("7000.00")
    assert datetime.date(2026, 11, 1) not in months


def test_the_overview_chart_draws_its_labels_where_a_dutch_page_puts_them(client, funder, finance_officer, approved):
    """SVG coordinates are numbers with a point or none: a Dutch-localised "28,0" drew every label at the top."""
    client.force_login(finance_officer)
    body = client.get(reverse("finance:overview", args=[funder.slug]), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    coordinates = re.findall(r'\b(?:x|y|width|height)="([^"]*)"', svg)
    assert coordinates
    assert all(re.fullmatch(r"\d+", value) for value in coordinates), coordinates


def test_the_money_overview_csv_opens_a_scheme_name_as_text(client, funder, finance_officer, approved):
    Scheme.objects.filter(pk=approved[0].application.scheme_id).update(name="=1+2 Cultuureducatie")
    client.force_login(finance_officer)
    response = client.get(reverse("finance:overview_csv", args=[funder.slug]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "\r\n'=1+2 Cultuureducatie;10000,00;" in body


def _final_report_in(application):
    """The final report submitted: 20,000 spent on the one budget line, 6,000 co-funding realised."""
    force_status(application, "final_report_submitted")
    report = Report.objects.create(
        application=application, kind="final", due_date=timezone.localdate(), realised_cofunding=D("6000")
    )
    line = application.budget_lines.get()
    ReportCostLine.objects.create(report=report, budget_line=line, actual_amount=D("20000"))
    force_status(report, "submitted")
    return report, line


def test_officer_settles_through_the_page_with_every_step_shown(client, application, officer):
    make_payment(application, status="paid", amount="8000.00")
    report, line = _final_report_in(application)
    client.force_login(officer)
    assert client.get(reverse("finance:application", args=[application.pk])).status_code == 200
    url = reverse("finance:settlement", args=[report.pk])
    data = {f"eligible_{line.pk}": "20000.00", "realised_cofunding": "6000.00", "reasons": "Cofinanciering lager."}
    response = client.post(url, {**data, "preview": "1"})
    assert response.status_code == 200
    assert response.context["result"].settled == D("6000.00")
    response = client.post(url, {**data, "settle": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.settled_amount == D("6000.00")
    assert Payment.objects.get(application=application, kind="recovery").amount == D("2000.00")
    # Too high an eligible amount is refused by the form; nothing is lost.
    other = ApplicationFactory(active=True, scheme=application.scheme)
    force_status(other, "final_report_submitted")
    report2 = Report.objects.create(application=other, kind="final", due_date=timezone.localdate())
    ReportCostLine.objects.create(report=report2, budget_line=other.budget_lines.get(), actual_amount=D("100"))
    force_status(report2, "submitted")
    response = client.post(
        reverse("finance:settlement", args=[report2.pk]),
        {f"eligible_{other.budget_lines.get().pk}": "500", "realised_cofunding": "0", "settle": "1"},
    )
    assert response.status_code == 200
    assert 'value="500"' in response.content.decode()


def test_the_settlement_is_typed_and_explained_the_dutch_way(client, application, officer):
    Scheme.objects.filter(pk=application.scheme_id).update(cofunding_ratio=D("0.25"))
    report, line = _final_report_in(application)
    client.force_login(officer)
    url = reverse("finance:settlement", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'value="20.000,00"' in page  # eligible defaults to the actual costs, as a Dutch reader writes them
    assert 'value="6.000,00"' in page
    response = client.post(url, {f"eligible_{line.pk}": "25.000", "realised_cofunding": "6.000", "preview": "1"})
    page = response.content.decode()
    assert "Vul een bedrag van hoogstens € 20.000,00 in." in page  # not "hoogstens 20000.00"
    assert 'value="25.000"' in page  # what the officer typed stays
    response = client.post(url, {f"eligible_{line.pk}": "14.400", "realised_cofunding": "4.750,50", "preview": "1"})
    result = response.context["result"]
    assert (result.eligible_costs, result.realised_cofunding) == (D("14400.00"), D("4750.50"))
    assert "cofinancieringsverhouding 0,25" in response.content.decode()


def test_staff_do_not_see_the_money_page_of_a_teams_draft(client, funder, officer, finance_officer, decider):
    draft = ApplicationFactory(scheme__funder=funder, title="Nog geheim conceptplan")
    board = draft.schools.get().board
    board.iban, board.account_holder = "NL91ABNA0417164300", "Stichting Noord"
    board.save(update_fields=["iban", "account_holder"])
    for user in (officer, finance_officer, decider):
        client.force_login(user)
        response = client.get(reverse("finance:application", args=[draft.pk]))
        assert response.status_code == 404, user
        assert "Nog geheim" not in response.content.decode()
        assert "NL91ABNA0417164300" not in response.content.decode()
    client.force_login(officer)
    assert client.post(reverse("finance:bank_details_confirm", args=[draft.pk])).status_code == 404
    other_account = {"iban": "NL44RABO0123456789", "account_holder": "Iemand anders"}
    assert client.post(reverse("finance:bank_details_officer", args=[draft.pk]), other_account).status_code == 404
    board.refresh_from_db()
    assert (board.iban, board.bank_details_confirmed_at) == ("NL91ABNA0417164300", None)


def test_team_enters_bank_details_and_a_bad_iban_is_refused(client, application):
    client.force_login(application.team.contact)
    url = reverse("finance:bank_details", args=[application.pk])
    response = client.post(url, {"iban": "NL91ABNA0417164301", "account_holder": "Stichting"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "NL91ABNA0417164301" in body
    assert "Dit is geen geldig IBAN: " in body
    assert "Invalid checksum digits" not in body  # schwifty's English text stays out of the Dutch page
    assert "Dit is geen geldig IBAN: de controlecijfers kloppen niet; controleer het nummer op een tikfout." in body
    response = client.post(url, {"iban": "NL91 ABNA 0417 1643 00", "account_holder": "Stichting"})
    assert response.status_code == 302
    payee = application.schools.get().board
    payee.refresh_from_db()
    assert payee.iban == "NL91ABNA0417164300"
    other = ApplicationFactory()
    assert client.get(reverse("finance:bank_details", args=[other.pk])).status_code == 404


def test_the_team_sees_the_stored_account_masked_and_cannot_change_it_once_confirmed(client, application):
    confirm_bank_details(application.schools.get().board, iban="NL91ABNA0417164300")
    client.force_login(application.team.contact)
    url = reverse("finance:bank_details", args=[application.pk])
    page = client.get(url).content.decode()
    assert "NL91 …4300" in page
    assert "NL91ABNA0417164300" not in page
    assert 'name="iban"' not in page
    assert "vraag dat dan aan de behandelaar" in page


def test_the_officer_enters_bank_details_on_the_money_page_and_sees_who_entered_them(client, application, officer):
    contact = application.team.contact
    client.force_login(contact)
    client.post(
        reverse("finance:bank_details", args=[application.pk]),
        {"iban": "NL91ABNA0417164300", "account_holder": "Stichting"},
    )
    client.force_login(officer)
    page = client.get(reverse("finance:application", args=[application.pk])).content.decode()
    assert f"Het laatst ingevoerd door {contact}" in page
    assert application.reference in page
    url = reverse("finance:bank_details_officer", args=[application.pk])
    response = client.post(url, {"iban": "NL91ABNA0417164301", "account_holder": "Stichting Nieuw"})
    assert response.status_code == 422  # refused, and what the officer typed is still there
    page = response.content.decode()
    assert 'value="NL91ABNA0417164301"' in page
    assert 'value="Stichting Nieuw"' in page
    assert client.post(url, {"iban": IBAN_BOARD, "account_holder": "Stichting Nieuw"}).status_code == 302
    payee = application.schools.get().board
    payee.refresh_from_db()
    assert (payee.iban, payee.account_holder, payee.bank_details_confirmed_at) == (IBAN_BOARD, "Stichting Nieuw", None)


def test_a_refused_report_assessment_keeps_the_comment_typed(client, application, officer):
    report = Report.objects.create(application=application, kind="interim", due_date=datetime.date(2026, 1, 1))
    force_status(report, "submitted")
    client.force_login(officer)
    url = reverse("finance:report_assess", args=[report.pk])
    comment = "Beschrijf ook wat de leerlingen ervan vonden."
    response = client.post(url, {"comment": comment})  # no choice made
    assert response.status_code == 422
    page = response.content.decode()
    assert comment in page
    assert "Dit veld is verplicht." in page
    force_status(report, "accepted")  # a colleague accepted it meanwhile
    response = client.post(url, {"decision": "return", "comment": comment})
    assert response.status_code == 422
    assert comment in response.content.decode()
    report.refresh_from_db()
    assert report.status == "accepted"


def test_officer_returns_a_report_through_the_page(client, application, officer):
    report = Report.objects.create(application=application, kind="interim", due_date=datetime.date(2026, 1, 1))
    force_status(report, "submitted")
    client.force_login(officer)
    response = client.post(
        reverse("finance:report_assess", args=[report.pk]), {"decision": "return", "comment": "Graag resultaten."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "returned"


def test_the_officer_who_changed_the_account_leaves_its_confirmation_to_a_colleague(client, application, officer):
    confirm_bank_details(application.schools.get().board)
    client.force_login(officer)
    money_page = reverse("finance:application", args=[application.pk])
    confirm = reverse("finance:bank_details_confirm", args=[application.pk])
    new_account = {"iban": "NL91ABNA0417164300", "account_holder": "Stichting Nieuw"}
    response = client.post(reverse("finance:bank_details_officer", args=[application.pk]), new_account, follow=True)
    assert response.redirect_chain == [(money_page, 302)]
    assert confirm not in response.content.decode()  # no button that can only be refused
    client.post(confirm)
    payee = application.schools.get().board
    payee.refresh_from_db()
    assert (payee.iban, payee.bank_details_confirmed_at) == ("NL91ABNA0417164300", None)

    colleague = staff(application.scheme.funder, Role.OFFICER)
    client.force_login(colleague)
    page = client.get(money_page).content.decode()
    assert confirm in page
    client.post(confirm, {"seen_entry": seen_entry(page)})
    payee.refresh_from_db()
    assert payee.bank_details_confirmed_by == colleague


def seen_entry(page: str) -> str:
    """The bank-details entry the money page showed, as its confirm button posts it."""
    return re.search(r'name="seen_entry" value="(\d+)"', page).group(1)


def test_details_changed_while_a_colleague_checks_them_are_not_confirmed_unseen(client, application, officer):
    """The team enters X; a colleague opens the page and checks X; the officer changes it to Y meanwhile:
    the colleague's confirmation of X must not confirm Y, which nobody checked."""
    client.force_login(application.team.contact)
    client.post(reverse("finance:bank_details", args=[application.pk]), {"iban": IBAN_BOARD, "account_holder": "X"})
    colleague = staff(application.scheme.funder, Role.OFFICER)
    client.force_login(colleague)
    money_page = reverse("finance:application", args=[application.pk])
    checked = seen_entry(client.get(money_page).content.decode())
    client.force_login(officer)
    client.post(
        reverse("finance:bank_details_officer", args=[application.pk]),
        {"iban": "NL91ABNA0417164300", "account_holder": "Y"},
    )
    client.force_login(colleague)
    confirm = reverse("finance:bank_details_confirm", args=[application.pk])
    response = client.post(confirm, {"seen_entry": checked}, follow=True)
    assert "gewijzigd terwijl u de pagina open had" in response.content.decode()
    payee = application.schools.get().board
    payee.refresh_from_db()
    assert (payee.account_holder, payee.bank_details_confirmed_at) == ("Y", None)
    client.post(confirm, {})  # a post that does not say what it saw confirms nothing either
    payee.refresh_from_db()
    assert payee.bank_details_confirmed_at is None
    client.post(confirm, {"seen_entry": seen_entry(client.get(money_page).content.decode())})
    payee.refresh_from_db()
    assert payee.bank_details_confirmed_by == colleague


def test_details_stored_without_an_entry_event_can_be_confirmed_from_the_page(client, application, officer):
    """Accounts from the demo, /admin/ or before the events existed: the page shows no entry, and confirms."""
    board = application.schools.get().board
    type(board).objects.filter(pk=board.pk).update(
        iban=IBAN_BOARD, account_holder="Stichting", bank_details_confirmed_at=None
    )
    client.force_login(officer)
    page = client.get(reverse("finance:application", args=[application.pk])).content.decode()
    assert 'name="seen_entry" value=""' in page
    response = client.post(
        reverse("finance:bank_details_confirm", args=[application.pk]), {"seen_entry": ""}, follow=True
    )
    assert "Bankgegevens bevestigd." in response.content.decode()
    board.refresh_from_db()
    assert board.bank_details_confirmed_by == officer


def test_a_board_shared_with_another_funder_does_not_show_that_funders_application_or_people(
    client, application, officer
):
    """A school board can be paid by two funders. Its account, last entered by a team of the other
    funder, showed this funder's officer that team member's name and that funder's application."""
    board = application.schools.get().board
    elsewhere = ApplicationFactory(active=True, title="Plan bij een andere gemeente")
    school = elsewhere.schools.get()
    school.board = board
    school.save(update_fields=["board"])
    contact = elsewhere.team.contact
    client.force_login(contact)
    details = {"iban": "NL91ABNA0417164300", "account_holder": "Stichting Gedeeld"}
    assert client.post(reverse("finance:bank_details", args=[elsewhere.pk]), details).status_code == 302

    client.force_login(officer)
    officer.preferred_language = "en"
    officer.save(update_fields=["preferred_language"])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("finance:application", args=[application.pk])).content.decode()
    for leaked in (elsewhere.reference, str(contact), contact.email):
        assert leaked not in page
    assert "for an application of another funder" in page
    assert "NL91ABNA0417164300" in page  # the account itself is what the officer checks and confirms
    assert 'name="seen_entry"' in page


def test_an_exported_batch_of_one_payment_says_one_payment(client, funder, finance_officer, settings):
    """It said "Exported: 1 payments"."""
    application = ApplicationFactory(active=True, scheme__funder=funder)
    confirm_bank_details(application.schools.get().board)
    make_payment(application, amount="8000.00")
    client.force_login(finance_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    today = timezone.localdate().isoformat()
    client.post(reverse("finance:batch_build", args=[funder.slug]), {"due_before": today, "execution_date": today})
    batch = PayoutBatch.objects.get()
    client.post(reverse("finance:batch_export", args=[funder.slug, batch.pk]))
    html = client.get(reverse("finance:batch", args=[funder.slug, batch.pk])).content.decode()
    assert "Exported: 1 payment, €8,000.00 in total." in html


def test_the_officer_enters_the_bic_of_an_account_outside_the_eea_with_the_bank_details(client, application, officer):
    """A Swiss account's BIC cannot be found from its IBAN, and a SEPA transfer there needs it: the bank
    details form had no place for it, so such a payee could never be paid."""
    client.force_login(officer)
    client.cookies.load({"django_language": "en"})
    money_page = reverse("finance:application", args=[application.pk])
    assert 'name="bic"' in client.get(money_page).content.decode()
    url = reverse("finance:bank_details_officer", args=[application.pk])
    swiss = {"iban": "CH93 0076 2011 6238 5295 7", "account_holder": "Schulverein Basel"}
    page = client.post(url, swiss).content.decode()
    assert "An account with country code CH is outside the EEA" in page
    assert 'value="Schulverein Basel"' in page
    payee = application.schools.get().board
    payee.refresh_from_db()
    assert payee.iban != "CH9300762011623852957"
    assert client.post(url, {**swiss, "bic": "ubsw ch zh 80a"}).status_code == 302
    payee.refresh_from_db()
    assert (payee.iban, payee.bic) == ("CH9300762011623852957", "UBSWCHZH80A")
    assert "UBSWCHZH80A" in client.get(money_page).content.decode()  # shown to the colleague who confirms
