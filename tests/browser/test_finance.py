"""Finance in headless Chromium: a finance officer approves, builds a batch, downloads the
three files, marks the batch paid; an officer settles a grant with every step shown. axe-core
runs on each finance page."""

import hashlib
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from sepaxml.validation import try_valid_xml

from finance.models import Payment, PayoutBatch
from grants.models import Report, ReportCostLine
from tests.browser.conftest import answer_next_dialog, sign_in
from tests.factories import ApplicationFactory, FunderFactory, force_status, staff
from tests.finance.conftest import confirm_bank_details, make_payment
from workflow.states import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_finance_officer_builds_downloads_and_marks_a_batch_paid(page, live_server, axe):
    funder = FunderFactory(slug="teststad-financien")
    finance = staff(funder, Role.FINANCE)
    preparer = staff(funder, Role.DECIDER)
    scheduled, approved = [], []
    for amount in ("8000.00", "2500.75"):
        application = ApplicationFactory(active=True, scheme__funder=funder)
        confirm_bank_details(application.schools.get().board)
        approved.append(make_payment(application, amount=amount))
    application = ApplicationFactory(active=True, scheme__funder=funder)
    confirm_bank_details(application.schools.get().board)
    scheduled.append(make_payment(application, status="scheduled", amount="400.00", prepared_by=preparer))

    sign_in(page, live_server, finance)
    page.goto(f"{live_server.url}/finance/")
    expect(page.get_by_role("heading", name="Betalingen en batches")).to_be_visible()
    axe(page)
    page.get_by_role("button", name=f"Betaling voor {application.reference} goedkeuren").click()
    expect(page.get_by_text("Betaling goedgekeurd.")).to_be_visible()
    page.get_by_role("button", name="Batch samenstellen").click()
    expect(page.get_by_text(re.compile(r"^Batch \S+ samengesteld\.$"))).to_be_visible()
    axe(page)
    batch = PayoutBatch.objects.get()
    assert batch.payments.count() == 3
    page.get_by_role("button", name="Exporteren en vergrendelen").click()
    expect(page.get_by_text("Batch geëxporteerd en vergrendeld.")).to_be_visible()
    axe(page)
    batch.refresh_from_db()
    for fmt, extension in (("csv", "csv"), ("xlsx", "xlsx"), ("sepa", "xml")):
        with page.expect_download() as info:
            page.get_by_role("link", name=f"{batch.reference}.{extension}").click()
        content = info.value.path().read_bytes()
        assert hashlib.sha256(content).hexdigest() == batch.sha256_for(fmt)
        if fmt == "sepa":
            try_valid_xml(content, "pain.001.001.03")
    page.get_by_label(f"Reden van mislukking voor betaling {approved[1].pk}").fill("Rekening opgeheven (AC04)")
    asked = answer_next_dialog(page)
    page.get_by_role("button", name="Als betaald markeren").click()
    expect(page.get_by_text("Betaalrun verwerkt")).to_be_visible()
    assert len(asked) == 1
    assert asked[0].startswith(f"Batch {batch.reference} als betaald markeren (3 betalingen, € ")
    assert Payment.objects.get(pk=approved[0].pk).status == "paid"
    assert Payment.objects.get(pk=approved[1].pk).status == "approved"
    page.get_by_role("link", name="Geldoverzicht").click()
    expect(page.get_by_role("heading", name="Per regeling")).to_be_visible()
    axe(page)


def test_officer_settles_with_every_step_shown(page, live_server, axe):
    application = ApplicationFactory(active=True)
    officer = staff(application.scheme.funder, Role.OFFICER)
    make_payment(application, status="paid", amount="8000.00")
    force_status(application, "final_report_submitted")
    report = Report.objects.create(
        application=application, kind="final", due_date=timezone.localdate(), realised_cofunding=Decimal("6000")
    )
    ReportCostLine.objects.create(
        report=report, budget_line=application.budget_lines.get(), actual_amount=Decimal("20000")
    )
    force_status(report, "submitted")
    sign_in(page, live_server, officer)
    page.goto(f"{live_server.url}/finance/applications/{application.pk}/")
    axe(page)
    page.get_by_role("link", name="Kosten beoordelen en subsidie vaststellen").click()
    page.get_by_role("button", name="Berekenen").click()
    expect(page.get_by_role("row", name="Maximum gegeven de gerealiseerde cofinanciering")).to_contain_text("6.000,00")
    axe(page)
    page.get_by_role("button", name="Op dit bedrag vaststellen").click()
    expect(page.get_by_text("De subsidie is vastgesteld")).to_be_visible()
    expect(page.get_by_role("cell", name="Terugvordering")).to_be_visible()
    axe(page)
    application.refresh_from_db()
    assert application.settled_amount == Decimal("6000.00")
