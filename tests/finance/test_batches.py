"""Payout batches: building (also concurrently), exports that validate, locking, paid or failed."""

import csv
import hashlib
import io
import threading
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from sepaxml.validation import try_valid_xml

from finance import exports
from finance.models import Payment, PayoutBatch
from tests.concurrency import one_waits_for_the_other
from tests.factories import ApplicationFactory, staff
from workflow.actions.money import batch_build, batch_export, batch_mark_paid
from workflow.exceptions import ActionRefused, PermissionRefused
from workflow.states import Role

from .conftest import confirm_bank_details, make_payment

D = Decimal
IBAN = "NL91ABNA0417164300"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def payments_for(funder, amounts, **kwargs):
    payments = []
    for amount in amounts:
        application = ApplicationFactory(active=True, scheme__funder=funder)
        confirm_bank_details(application.schools.get().board, holder="Stichting Ôpen Scholen & Co")
        payments.append(make_payment(application, amount=amount, **kwargs))
    return payments


@pytest.fixture
def queue(db, funder):
    return payments_for(funder, ["8000.00", "1234.56", "0.01"])


@pytest.mark.django_db
def test_build_takes_approved_due_payments_with_confirmed_accounts_only(funder, finance_officer, queue, application):
    unconfirmed = make_payment(application)  # its board has no confirmed bank details
    scheduled = payments_for(funder, ["5.00"], status="scheduled")[0]
    future = payments_for(funder, ["6.00"], due=D and __import__("datetime").date(2099, 1, 1))[0]
    other_funder = payments_for(ApplicationFactory().scheme.funder, ["7.00"])[0]
    batch = batch_build(funder=funder, actor=finance_officer, due_before=__import__("datetime").date.today())
    assert set(batch.payments.all()) == set(queue)
    for payment in (unconfirmed, scheduled, future, other_funder):
        payment.refresh_from_db()
        assert payment.batch is None
    first = batch.payments.order_by("pk").first()
    assert first.creditor_iban == "NL44RABO0123456789"
    assert first.creditor_name.startswith("Stichting")
    with pytest.raises(ActionRefused):
        batch_build(funder=funder, actor=finance_officer, due_before=__import__("datetime").date.today())


@pytest.mark.django_db
def test_only_finance_of_that_funder_builds(funder, queue, decider):
    other = staff(ApplicationFactory().scheme.funder, Role.FINANCE)
    for actor in (decider, other):
        with pytest.raises(PermissionRefused):
            batch_build(funder=funder, actor=actor, due_before=__import__("datetime").date.today())


@pytest.mark.django_db
def test_exports_validate_match_the_batch_and_lock_it(funder, finance_officer, queue):
    import datetime

    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    batch = batch_export(batch=batch, actor=finance_officer)
    assert batch.status == "exported"
    assert batch.is_locked
    assert (batch.payment_count, batch.total_amount) == (3, D("9234.57"))
    assert set(batch.payments.values_list("status", flat=True)) == {"exported"}

    sepa = batch.sepa_file.read()
    try_valid_xml(sepa, "pain.001.001.03")  # raises when the XSD is not satisfied
    exports.validate_sepa(sepa)
    root = ET.fromstring(sepa)  # noqa: S314 (our own file)
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", NS).text == "3"
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NS).text == "9234.57"
    amounts = [D(a.text) for a in root.iterfind(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", NS)]
    assert sum(amounts) == D("9234.57")
    assert len(amounts) == 3
    assert root.find(".//p:DbtrAcct/p:Id/p:IBAN", NS).text == funder.iban
    # SEPA character set: Ô transliterated, & written as + (it was dropped), so the name keeps its words
    assert root.find(".//p:Cdtr/p:Nm", NS).text == "Stichting Open Scholen + Co"

    raw = batch.csv_file.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][7] == "Bedrag (EUR)"
    assert sorted(line[7] for line in lines[1:]) == ["0,01", "1234,56", "8000,00"]
    assert "Ôpen" in lines[1][4]

    sheet = load_workbook(io.BytesIO(batch.xlsx_file.read())).active
    values = [(row[6].value, row[6].number_format) for row in sheet.iter_rows(min_row=2)]
    assert sorted(v for v, _ in values) == [D("0.01"), D("1234.56"), D("8000")] or sorted(v for v, _ in values) == [
        0.01,
        1234.56,
        8000,
    ]
    assert {fmt for _, fmt in values} == {"#,##0.00"}
    assert sheet.title == batch.reference
    assert [cell.value for cell in next(sheet.iter_rows(max_row=1))][6] == "Bedrag (EUR)"
    due = [row[7] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.is_date and cell.value.date() == queue[0].due_date for cell in due)

    for fmt in ("csv", "xlsx", "sepa"):
        batch.file_for(fmt).seek(0)
        assert hashlib.sha256(batch.file_for(fmt).read()).hexdigest() == batch.sha256_for(fmt)

    with pytest.raises(ActionRefused, match="al geëxporteerd"):
        batch_export(batch=batch, actor=finance_officer)


@pytest.mark.django_db
def test_an_account_holder_typed_as_a_formula_opens_as_text_in_csv_and_excel(funder, finance_officer, officer):
    import datetime

    from workflow.actions.money import bank_details_confirm, bank_details_enter

    application = ApplicationFactory(active=True, scheme__funder=funder)
    holder = '=HYPERLINK("http://x.example/","Open")'
    bank_details_enter(application=application, actor=application.team.contact, iban=IBAN, account_holder=holder)
    bank_details_confirm(application=application, actor=officer)
    payment = make_payment(application, amount="1234.56")
    batch = batch_export(
        batch=batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today()),
        actor=finance_officer,
    )

    _header, line = list(csv.reader(io.StringIO(batch.csv_file.read().decode("utf-8-sig")), delimiter=";"))
    assert line[4] == "'" + holder  # Excel shows the name; it opens no link
    assert not [cell for cell in line if cell.startswith(("=", "+", "-", "@"))]
    assert (line[5], line[7], line[8]) == (IBAN, "1234,56", payment.due_date.strftime("%d-%m-%Y"))

    cell = next(load_workbook(io.BytesIO(batch.xlsx_file.read())).active.iter_rows(min_row=2))[3]
    assert (cell.value, cell.data_type) == (holder, "s")  # an inline string: text, never a formula


@pytest.mark.django_db
def test_failed_payments_return_to_the_queue_with_history(funder, finance_officer, queue):
    import datetime

    from grants.models import AuditEvent

    batch = batch_export(
        batch=batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today()),
        actor=finance_officer,
    )
    failed = queue[1]
    with pytest.raises(ActionRefused):
        batch_mark_paid(batch=batch, actor=finance_officer, failed={failed.pk: " "})
    batch_mark_paid(batch=batch, actor=finance_officer, failed={failed.pk: "Rekening opgeheven (AC04)"})
    batch.refresh_from_db()
    assert batch.status == "processed"
    failed.refresh_from_db()
    assert (failed.status, failed.batch, failed.failure_reason) == ("approved", None, "Rekening opgeheven (AC04)")
    event = AuditEvent.objects.get(action="mark_failed", subject_id=failed.pk)
    assert event.data["batch"] == batch.reference
    assert event.from_state == "exported"
    assert set(Payment.objects.filter(pk__in=[queue[0].pk, queue[2].pk]).values_list("status", flat=True)) == {"paid"}
    # The failed one travels in the next batch.
    again = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    assert list(again.payments.all()) == [failed]
    with pytest.raises(ActionRefused):
        batch_mark_paid(batch=batch, actor=finance_officer)


@pytest.mark.django_db
def test_the_database_refuses_a_batched_payment_that_is_not_approved(funder, finance_officer, queue):
    batch = PayoutBatch.objects.create(funder=funder, reference="X1", created_by=finance_officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=queue[0].pk).update(batch=batch, status="scheduled")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=queue[0].pk).update(status="exported")
    with pytest.raises(IntegrityError), transaction.atomic():
        PayoutBatch.objects.filter(pk=batch.pk).update(status="exported")


@pytest.mark.django_db(transaction=True)
def test_two_finance_officers_building_at_once_never_share_a_payment():
    """Real PostgreSQL, two threads with their own connections, released at the same moment."""
    import datetime

    assert connection.vendor == "postgresql"
    application = ApplicationFactory(active=True)
    funder = application.scheme.funder
    payments = payments_for(funder, [f"{n}.00" for n in range(1, 41)])
    officers = [staff(funder, Role.FINANCE), staff(funder, Role.FINANCE)]
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def build(officer):
        try:
            barrier.wait()
            batch = batch_build(funder=funder, actor=officer, due_before=datetime.date.today())
            results[officer.pk] = set(batch.payments.values_list("pk", flat=True))
        except ActionRefused as refused:
            results[officer.pk] = set()
            errors.append(refused)
        finally:
            connection.close()

    for _round in range(3):
        Payment.objects.filter(pk__in=[p.pk for p in payments]).update(batch=None)
        results.clear()
        threads = [threading.Thread(target=build, args=(officer,)) for officer in officers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        first, second = results.values()
        assert not first & second
        assert first | second == {p.pk for p in payments}
        in_batches = Payment.objects.filter(pk__in=[p.pk for p in payments], batch__isnull=False)
        assert in_batches.count() == 40
        PayoutBatch.objects.filter(payments__isnull=True).delete()


@pytest.mark.django_db
def test_a_stale_selection_cannot_take_a_payment_already_in_a_batch(funder, finance_officer, queue):
    """The claim is conditional: even without the row lock a batched payment is never moved."""
    other = PayoutBatch.objects.create(funder=funder, reference="OTHER", created_by=finance_officer)
    Payment.objects.filter(pk=queue[0].pk).update(batch=other)
    thief = PayoutBatch.objects.create(funder=funder, reference="THIEF", created_by=finance_officer)
    moved = Payment.objects.filter(pk__in=[p.pk for p in queue], batch__isnull=True, status="approved").update(
        batch=thief
    )
    assert moved == 2
    queue[0].refresh_from_db()
    assert queue[0].batch == other


@pytest.mark.django_db
def test_export_payouts_command_writes_each_format(funder, finance_officer, queue, tmp_path):
    import datetime

    from django.core.management import call_command
    from django.core.management.base import CommandError

    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    # An open batch as SEPA would be a bank-ready file with the real MsgId and EndToEndIds that
    # nothing locked or audited: uploaded, its payments could be paid again with the real export.
    refused = tmp_path / "open.xml"
    with pytest.raises(CommandError, match="not exported yet"):
        call_command("export_payouts", str(batch.pk), "--format", "sepa", "--out", str(refused))
    assert not refused.exists()
    for fmt in ("csv", "xlsx"):  # previews of an open batch stay possible
        call_command("export_payouts", str(batch.pk), "--format", fmt, "--out", str(tmp_path / f"preview.{fmt}"))
    assert load_workbook(tmp_path / "preview.xlsx").active.max_row == 4
    batch.refresh_from_db()
    assert (batch.status, batch.is_locked) == ("open", False)
    assert set(batch.payments.values_list("status", flat=True)) == {"approved"}
    batch = batch_export(batch=batch, actor=finance_officer)
    for fmt in ("csv", "xlsx", "sepa"):
        out = tmp_path / f"batch.{fmt}"
        call_command("export_payouts", str(batch.pk), "--format", fmt, "--out", str(out))
        assert hashlib.sha256(out.read_bytes()).hexdigest() == batch.sha256_for(fmt)
    with pytest.raises(CommandError):
        call_command("export_payouts", "999999", "--format", "csv", "--out", str(tmp_path / "x"))


def _exported(funder, finance_officer):
    import datetime

    return batch_export(
        batch=batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today()),
        actor=finance_officer,
    )


def _revoke(application):
    from workflow.actions import application_revoke, revocation_prepare

    funder = application.scheme.funder
    revocation_prepare(application=application, actor=staff(funder, Role.OFFICER), reasons="Voorwaarden geschonden")
    application_revoke(application=application, actor=staff(funder, Role.DECIDER))


@pytest.mark.django_db
def test_a_payment_the_bank_refuses_after_the_grant_was_revoked_is_cancelled_not_paid_again(
    funder, finance_officer, application
):
    """Advance of 8,000 exported, the grant revoked (recovery of 10,000: the 8,000 counted as paid, beside
    2,000 paid before), then the bank refuses the 8,000: it never travels again, and the team is asked
    for the 2,000 it received, not for money that never reached it."""
    from grants.models import AuditEvent
    from workflow.actions import application_object, objection_decide
    from workflow.states import DecisionKind

    confirm_bank_details(application.schools.get().board)
    make_payment(application, status="paid", amount="2000.00")
    advance = make_payment(application, status="approved", amount="8000.00")
    batch = _exported(funder, finance_officer)
    _revoke(application)
    first_recovery = Payment.objects.get(application=application, kind="recovery")
    assert first_recovery.amount == D("10000.00")

    with translation.override("en"):
        batch_mark_paid(batch=batch, actor=finance_officer, failed={advance.pk: "Rekening opgeheven (AC04)"})

    advance.refresh_from_db()
    assert (advance.status, advance.batch, advance.failure_reason) == ("cancelled", None, "Rekening opgeheven (AC04)")
    steps = AuditEvent.objects.filter(subject_id=advance.pk, action__in=("mark_failed", "cancel")).order_by("pk")
    assert [(e.action, e.from_state, e.to_state) for e in steps] == [
        ("mark_failed", "exported", "approved"),
        ("cancel", "approved", "cancelled"),
    ]
    assert steps[1].reason == "The grant was revoked; a payment the bank refused is not paid again."
    assert steps[1].data["batch"] == batch.reference
    with pytest.raises(ActionRefused):
        batch_build(funder=funder, actor=finance_officer, due_before=advance.due_date)
    first_recovery.refresh_from_db()
    assert first_recovery.status == "cancelled"
    recovery = Payment.objects.get(application=application, kind="recovery", status="scheduled")
    assert recovery.amount == D("2000.00")
    # A new recovery decision, whose letter names the 2,000 now owed (the first one's 10,000 is not).
    decision = recovery.decision
    assert decision != first_recovery.decision
    assert (decision.kind, decision.amount) == (DecisionKind.RECOVERY, D("2000.00"))
    assert decision.data["replaces_recovery"] == first_recovery.decision.pk
    # Its letter is Dutch, though finance marked the batch in English (the audit keeps the actor's language).
    dutch = "De subsidie is ingetrokken; een betaling die de bank weigerde, wordt niet opnieuw betaald."
    assert decision.reasons == dutch
    assert decision.data["revocation"] == first_recovery.decision.data["revocation"]
    assert decision.letters.count() == 1

    # Undone on objection, the grant pays the advance the revocation stopped after all.
    objection = application_object(application=application, actor=application.team.contact, grounds="Onterecht")
    objection_decide(objection=objection, actor=staff(funder, Role.DECIDER), overturn=True, reasons="Nageleefd")
    again = Payment.objects.get(application=application, kind="advance", status="scheduled")
    assert (again.amount, again.decision.kind) == (D("8000.00"), DecisionKind.OBJECTION_OVERTURNED)


@pytest.mark.django_db
def test_an_approved_payment_of_a_revoked_grant_never_enters_a_batch(funder, application):
    from finance.services import batchable_payments
    from tests.factories import force_status

    confirm_bank_details(application.schools.get().board)
    payment = make_payment(application, status="approved")
    assert list(batchable_payments(funder, due_before=payment.due_date)) == [payment]
    force_status(application, "revoked")
    assert not batchable_payments(funder, due_before=payment.due_date).exists()
    Application = type(application)
    Application.objects.filter(pk=application.pk).update(status="objection", status_before_objection="revoked")
    assert not batchable_payments(funder, due_before=payment.due_date).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("settled", "left", "recovery"),
    [("6000.00", "cancelled", None), ("7000.00", "approved", "1000.00")],
    ids=["nothing-left-to-pay", "still-owed"],
)
def test_a_refused_payment_of_a_settled_grant_travels_again_only_while_money_is_owed(
    funder, finance_officer, settled, left, recovery
):
    """6,000 paid and 2,000 exported; settled at 6,000, nothing is left to pay once the bank refuses the
    2,000: cancelled, and the recovery of 2,000 lapses. Settled at 7,000, 1,000 is still owed: the 2,000
    travels again and the recovery of 1,000 stays, so the team ends with 7,000."""
    from workflow.actions import application_settle

    application = ApplicationFactory(final_report_submitted=True, scheme__funder=funder)
    confirm_bank_details(application.schools.get().board)
    make_payment(application, status="paid", amount="6000.00")
    refused = make_payment(application, status="approved", amount="2000.00")
    batch = _exported(funder, finance_officer)
    application_settle(application=application, actor=staff(funder, Role.OFFICER), amount=D(settled), reasons="x")

    batch_mark_paid(batch=batch, actor=finance_officer, failed={refused.pk: "Rekening opgeheven (AC04)"})

    refused.refresh_from_db()
    assert refused.status == left
    open_recoveries = Payment.objects.filter(application=application, kind="recovery", status="scheduled")
    assert [str(p.amount) for p in open_recoveries] == ([recovery] if recovery else [])


BATCH_STEPS = ("export_payment", "mark_paid", "mark_failed")


@pytest.mark.django_db
def test_export_and_paid_leave_an_audit_event_on_every_payment(funder, finance_officer, queue):
    from grants.models import AuditEvent

    batch = _exported(funder, finance_officer)
    batch_mark_paid(batch=batch, actor=finance_officer, failed={queue[1].pk: "Rekening opgeheven (AC04)"})
    for payment in queue:
        history = AuditEvent.objects.filter(subject_id=payment.pk, action__in=BATCH_STEPS)
        outcome = ("mark_failed", "exported", "approved") if payment == queue[1] else ("mark_paid", "exported", "paid")
        assert [(e.action, e.from_state, e.to_state) for e in history.order_by("pk")] == [
            ("export_payment", "approved", "exported"),
            outcome,
        ]
        for event in history:
            assert (event.actor, event.funder) == (finance_officer, funder)
            assert event.application_id == payment.application_id
            assert (event.data["batch"], event.data["batch_id"]) == (batch.reference, batch.pk)
        assert history.get(action="export_payment").data["creditor_iban"] == "NL44 …6789"


@pytest.mark.django_db
def test_auditing_a_batch_per_payment_costs_the_same_queries_for_3_as_for_30(funder, finance_officer):
    """The per-payment events are written in bulk: a batch of 100,000 must not take 100,000 queries."""
    import datetime

    from django.test.utils import CaptureQueriesContext

    def queries(count):
        payments_for(funder, ["10.00"] * count)
        batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
        with CaptureQueriesContext(connection) as exporting:
            batch_export(batch=batch, actor=finance_officer)
        with CaptureQueriesContext(connection) as paying:
            batch_mark_paid(batch=batch, actor=finance_officer)
        assert Payment.objects.filter(batch=batch, status="paid").count() == count
        return len(exporting), len(paying)

    queries(1)  # warm caches (content types, permissions)
    assert queries(3) == queries(30)


# --- What the bank would notice --------------------------------------------------------------------
def export_on(monkeypatch, day):
    """Make `day` today for the export (the batch was built earlier and waited)."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


@pytest.mark.django_db
def test_an_execution_date_that_passed_before_the_export_moves_to_the_first_banking_day(
    funder, finance_officer, queue, monkeypatch, client
):
    import datetime

    from django.urls import reverse

    from grants.models import AuditEvent

    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    PayoutBatch.objects.filter(pk=batch.pk).update(execution_date=datetime.date(2027, 3, 19))
    export_on(monkeypatch, datetime.date(2027, 3, 26))  # Good Friday; Easter Monday 29 March
    client.force_login(finance_officer)
    response = client.post(reverse("finance:batch_export", args=[funder.slug, batch.pk]), follow=True)
    batch.refresh_from_db()
    assert batch.status == "exported"
    sepa = batch.sepa_file.read()
    try_valid_xml(sepa, "pain.001.001.03")
    assert ET.fromstring(sepa).find(".//p:PmtInf/p:ReqdExctnDt", NS).text == "2027-03-30"  # noqa: S314
    assert batch.execution_date == datetime.date(2027, 3, 30)
    event = AuditEvent.objects.get(action="export_batch", subject_id=batch.pk)
    assert (event.data["execution_date"], event.data["execution_date_planned"]) == ("2027-03-30", "2027-03-19")
    told = " ".join(str(message) for message in response.context["messages"])
    assert ("19 maart 2027" in told, "30 maart 2027" in told) == (True, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("planned", "executes"),
    [
        ("2027-03-24", "2027-03-24"),  # a Wednesday ahead: kept
        ("2027-03-27", "2027-03-30"),  # a Saturday ahead: Easter Monday is no banking day either
    ],
)
def test_an_execution_date_ahead_is_kept_on_a_banking_day_and_moved_off_a_weekend(
    funder, finance_officer, queue, monkeypatch, client, planned, executes
):
    import datetime

    from django.urls import reverse

    from grants.models import AuditEvent

    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    PayoutBatch.objects.filter(pk=batch.pk).update(execution_date=datetime.date.fromisoformat(planned))
    export_on(monkeypatch, datetime.date(2027, 3, 22))
    client.force_login(finance_officer)
    response = client.post(reverse("finance:batch_export", args=[funder.slug, batch.pk]), follow=True)
    batch.refresh_from_db()
    assert f"<ReqdExctnDt>{executes}</ReqdExctnDt>".encode() in batch.sepa_file.read()
    event = AuditEvent.objects.get(action="export_batch", subject_id=batch.pk)
    assert event.data["execution_date"] == executes
    told = " ".join(str(message) for message in response.context["messages"])
    if planned == executes:
        assert "execution_date_planned" not in event.data
        assert "bankwerkdag" not in told
    else:
        assert event.data["execution_date_planned"] == planned
        assert "27 maart 2027 is geen bankwerkdag" in told
        assert "30 maart 2027" in told


def assert_still_open(batch):
    batch.refresh_from_db()
    assert (batch.status, batch.sepa_file.name or "", batch.sepa_sha256) == ("open", "", "")
    assert set(batch.payments.values_list("status", flat=True)) == {"approved"}


@pytest.mark.django_db
def test_a_funder_bic_the_schema_refuses_stops_the_export_before_the_lock(funder, finance_officer, queue):
    import datetime

    from grants.models import Funder

    Funder.objects.filter(pk=funder.pk).update(bic="ABNANL1A")  # stored before BICs were checked
    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    with pytest.raises(ActionRefused, match="ABNANL1A"):
        batch_export(batch=batch, actor=finance_officer)
    assert_still_open(batch)
    Funder.objects.filter(pk=funder.pk).update(bic="ABNANL2A")
    batch = batch_export(batch=batch, actor=finance_officer)
    sepa = batch.sepa_file.read()
    try_valid_xml(sepa, "pain.001.001.03")
    assert ET.fromstring(sepa).find(".//p:DbtrAgt/p:FinInstnId/p:BIC", NS).text == "ABNANL2A"  # noqa: S314


@pytest.mark.django_db
def test_a_payee_bic_or_iban_the_schema_refuses_names_the_payment_and_payee(funder, finance_officer, queue):
    import datetime

    from grants.models import Organisation

    first, second = queue[0], queue[1]
    Organisation.objects.filter(pk=first.payee_id).update(bic="RABONL1U", account_holder="Stichting Een")
    Organisation.objects.filter(pk=second.payee_id).update(iban="nl44rabo0123456789", account_holder="Stichting Twee")
    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    with pytest.raises(ActionRefused) as refused:
        batch_export(batch=batch, actor=finance_officer)
    messages = refused.value.messages
    assert len(messages) == 2
    assert all(text in messages[0] for text in (str(first.pk), "Stichting Een", "RABONL1U")), messages
    assert all(text in messages[1] for text in (str(second.pk), "Stichting Twee", "nl44rabo")), messages
    assert_still_open(batch)


@pytest.mark.django_db
def test_a_character_xml_forbids_in_a_stored_account_holder_is_left_out_of_every_file(funder, finance_officer):
    """Typed before the bank-details form refused it: the files must still open and validate."""
    import datetime

    payment = payments_for(funder, ["10.00"])[0]
    payment.payee.account_holder = "Stichting \ufffe Wijs\uffff \x01\x0bB.V."
    payment.payee.save(update_fields=["account_holder"])
    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    batch = batch_export(batch=batch, actor=finance_officer)
    sheet = load_workbook(io.BytesIO(batch.xlsx_file.read())).active  # raised on U+FFFE before
    assert sheet.cell(row=2, column=4).value == "Stichting  Wijs B.V."
    lines = list(csv.reader(io.StringIO(batch.csv_file.read().decode("utf-8-sig")), delimiter=";"))
    assert lines[1][4] == "Stichting  Wijs B.V."
    sepa = batch.sepa_file.read()
    try_valid_xml(sepa, "pain.001.001.03")
    exports.validate_sepa(sepa)
    assert ET.fromstring(sepa).find(".//p:Cdtr/p:Nm", NS).text == "Stichting Wijs B.V."  # noqa: S314


@pytest.mark.django_db(transaction=True)
def test_a_payment_cancelled_while_its_batch_is_exported_is_not_in_the_bank_file():
    """A revocation (or settlement) cancels a payment of an open batch while finance exports it.

    The export counted and wrote the payment, then found it cancelled when it marked the batch's
    payments exported: the bank got a file that paid money the grant no longer owed, and that the
    books showed as cancelled. The export now waits for the cancellation and leaves the payment out.
    """
    import datetime

    from finance.services import cancel_pending

    assert connection.vendor == "postgresql"
    funder = ApplicationFactory(active=True).scheme.funder
    finance_officer, officer = staff(funder, Role.FINANCE), staff(funder, Role.OFFICER)
    kept, revoked = payments_for(funder, ["100.00", "250.00"])
    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    with one_waits_for_the_other(
        # the revocation holds the payment; the export reaches it and waits
        lambda: cancel_pending(revoked.application, actor=officer, reason="Subsidie ingetrokken"),
        lambda: batch_export(batch=batch, actor=finance_officer),
    ) as errors:
        pass
    assert not errors

    batch.refresh_from_db()
    revoked.refresh_from_db()
    assert (revoked.status, revoked.batch) == ("cancelled", None)
    assert (batch.payment_count, batch.total_amount) == (1, D("100.00"))
    sepa = batch.sepa_file.read()
    exports.validate_sepa(sepa)
    root = ET.fromstring(sepa)  # noqa: S314 (our own file)
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", NS).text == "1"
    assert root.find("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", NS).text == "100.00"
    assert [e.text for e in root.iterfind(".//p:EndToEndId", NS)] == [f"GD-{kept.pk}"]
    _header, *lines = csv.reader(io.StringIO(batch.csv_file.read().decode("utf-8-sig")), delimiter=";")
    assert [line[1] for line in lines] == [str(kept.pk)]
    assert list(batch.payments.values_list("pk", "status")) == [(kept.pk, "exported")]


@pytest.mark.django_db(transaction=True)
def test_processing_the_bank_run_while_a_colleague_approves_a_payment_of_the_same_grant_does_not_deadlock():
    """Marking a batch paid locked the funder's row with the batch; a colleague's approval on a grant
    with a failed payment, committing its audit event (which refers to the funder), then waited for
    it while the bank run waited for the grant: PostgreSQL broke the deadlock with an error."""
    import datetime

    from workflow.actions.money import payment_approve

    assert connection.vendor == "postgresql"
    funder = ApplicationFactory(active=True).scheme.funder
    finance_officer, colleague = staff(funder, Role.FINANCE), staff(funder, Role.FINANCE)
    failed, paid = payments_for(funder, ["100.00", "250.00"])
    batch = batch_export(
        batch=batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today()),
        actor=finance_officer,
    )
    remainder = make_payment(failed.application, status="scheduled", kind="remainder", amount="50.00")
    with one_waits_for_the_other(
        # the approval holds the grant; the bank run reaches it and waits
        lambda: payment_approve(payment=remainder, actor=colleague),
        lambda: batch_mark_paid(batch=batch, actor=finance_officer, failed={failed.pk: "Rekening opgeheven (AC04)"}),
    ) as errors:
        pass
    assert not errors
    statuses = dict(Payment.objects.filter(pk__in=[failed.pk, paid.pk, remainder.pk]).values_list("pk", "status"))
    assert statuses == {failed.pk: "approved", paid.pk: "paid", remainder.pk: "approved"}


@pytest.mark.django_db
def test_an_account_outside_the_sepa_area_is_refused_when_entered_and_when_exported(
    funder, finance_officer, application
):
    """A valid IBAN of a country outside SEPA (Turkey, here) was accepted, confirmed and written into the
    SEPA credit transfer, which the bank rejects."""
    import datetime

    from workflow.actions.money import bank_details_enter

    outside = "TR330006100519786457841326"
    with translation.override("en"), pytest.raises(ActionRefused, match="outside the SEPA area"):
        bank_details_enter(
            application=application, actor=application.team.contact, iban=outside, account_holder="Stichting"
        )
    board = confirm_bank_details(application.schools.get().board, iban=outside)  # stored before this check
    payment = make_payment(application)
    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    with translation.override("en"), pytest.raises(ActionRefused, match=f"Payment {payment.pk} to .*{outside}"):
        batch_export(batch=batch, actor=finance_officer)
    batch.refresh_from_db()
    assert (batch.status, board.iban) == ("open", outside)


def test_an_ampersand_in_a_name_is_written_as_a_plus_not_dropped():
    """The SEPA character set has no "&"; "+" is the EPC's conversion and keeps the name's words."""
    assert exports.sepa_text("Stichting Lezen & Schrijven", 70) == "Stichting Lezen + Schrijven"
    assert exports.sepa_text("Jansen&Zn", 70) == "Jansen+Zn"
    assert exports.sepa_text("Kunst \uff06 Cultuur", 140) == "Kunst + Cultuur"  # a full-width ampersand


@pytest.mark.django_db
def test_a_payee_without_an_account_holders_name_is_refused_before_the_export_naming_the_board(funder, finance_officer):
    """Kept from before the name was required, an empty name went to the bank as "-"."""
    import datetime

    from grants.models import Organisation

    _named, nameless = payments_for(funder, ["10.00", "20.00"])
    Organisation.objects.filter(pk=nameless.payee_id).update(account_holder="")
    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    with translation.override("en"), pytest.raises(ActionRefused) as refused:
        batch_export(batch=batch, actor=finance_officer)
    assert refused.value.messages == [
        f"Payment {nameless.pk} to {nameless.payee.name}: the account holder's name is missing, and the bank "
        "refuses a transfer without it."
    ]
    assert_still_open(batch)


@pytest.mark.django_db
def test_a_payment_to_a_payee_without_an_account_holders_name_is_not_approved(funder, application, decider):
    from grants.models import Organisation
    from workflow.actions.money import payment_approve

    payment = make_payment(application, status="scheduled")
    confirm_bank_details(payment.payee)
    Organisation.objects.filter(pk=payment.payee_id).update(account_holder="  ")
    with translation.override("en"), pytest.raises(ActionRefused, match="have no account holder's name"):
        payment_approve(payment=payment, actor=decider)
    payment.refresh_from_db()
    assert payment.status == "scheduled"


SWISS = "CH9300762011623852957"  # a bank schwifty cannot give the BIC of


@pytest.mark.django_db
def test_an_account_outside_the_eea_without_a_bic_is_refused_before_the_export(funder, finance_officer, application):
    """Switzerland is in SEPA, not in the EEA: the transfer must name the bank by its BIC, or the bank
    rejects it; the file had no creditor agent at all."""
    import datetime

    from grants.models import Organisation

    board = confirm_bank_details(application.schools.get().board, iban=SWISS, holder="Schulverein Basel")
    payment = make_payment(application)
    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    with translation.override("en"), pytest.raises(ActionRefused) as refused:
        batch_export(batch=batch, actor=finance_officer)
    assert refused.value.messages == [
        f"Payment {payment.pk} to Schulverein Basel: the IBAN {SWISS} is of a bank outside the EEA (CH), where a "
        "SEPA transfer must name the bank by its BIC, and no BIC is known."
    ]
    assert_still_open(batch)

    # With the bank's BIC it goes, and the file names the bank.
    Organisation.objects.filter(pk=board.pk).update(bic="UBSWCHZH80A")
    Payment.objects.filter(pk=payment.pk).update(creditor_bic="UBSWCHZH80A")
    sepa = batch_export(batch=batch, actor=finance_officer).sepa_file.read()
    exports.validate_sepa(sepa)
    assert ET.fromstring(sepa).find(".//p:CdtrAgt/p:FinInstnId/p:BIC", NS).text == "UBSWCHZH80A"  # noqa: S314


@pytest.mark.django_db
def test_a_payment_to_an_account_outside_the_eea_without_a_bic_is_not_approved(application, decider):
    from workflow.actions.money import payment_approve

    payment = make_payment(application, status="scheduled")
    confirm_bank_details(payment.payee, iban=SWISS)
    with translation.override("en"), pytest.raises(ActionRefused, match=r"outside the EEA \(CH\)"):
        payment_approve(payment=payment, actor=decider)
    payment.refresh_from_db()
    assert payment.status == "scheduled"


@pytest.mark.django_db(transaction=True)
def test_exporting_while_a_revocation_holds_one_of_the_grants_waits_for_it_instead_of_deadlocking():
    """The reverse of the cancellation above: a revocation has locked its grant (as every action on a grant
    starts) when finance exports. The export locked the batch's payments, then waited for the grant to write
    the payments' audit events (which refer to it), while the revocation waited for the payment it cancels:
    PostgreSQL aborted one of them with a deadlock error."""
    import datetime
    import time

    from finance.services import cancel_pending
    from workflow.actions.base import lock_application

    funder = ApplicationFactory(active=True).scheme.funder
    finance_officer, officer = staff(funder, Role.FINANCE), staff(funder, Role.OFFICER)
    kept, revoked = payments_for(funder, ["100.00", "250.00"])
    batch = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    held, go_on = threading.Event(), threading.Event()
    errors = []

    def revoke():
        try:
            with transaction.atomic():
                lock_application(revoked.application)
                held.set()
                go_on.wait(20)
                cancel_pending(revoked.application, actor=officer, reason="Subsidie ingetrokken")
        except Exception as error:  # reported below, from the main thread
            errors.append(error)
            held.set()
        finally:
            connection.close()

    def export():
        try:
            batch_export(batch=batch, actor=finance_officer)
        except Exception as error:  # reported below, from the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=revoke), threading.Thread(target=export)]
    threads[0].start()
    assert held.wait(20)
    threads[1].start()
    with connection.cursor() as cursor:  # the export reaches the grant the revocation holds, and waits
        for _attempt in range(200):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                break
            time.sleep(0.05)
    go_on.set()
    for thread in threads:
        thread.join(30)
    assert not errors
    batch.refresh_from_db()
    revoked.refresh_from_db()
    # The revocation came first: its payment left the batch before the export counted it.
    assert (revoked.status, revoked.batch) == ("cancelled", None)
    assert (batch.status, batch.payment_count, batch.total_amount) == ("exported", 1, D("100.00"))
    assert list(batch.payments.values_list("pk", "status")) == [(kept.pk, "exported")]


@pytest.mark.django_db
def test_a_batch_the_export_refuses_is_dissolved_and_its_payments_travel_in_the_next_one(
    client, funder, finance_officer, settings
):
    """A batch keeps the bank details it was built with: once the export refused an account, correcting the
    account changed nothing, and the batch and its payments were stuck. Dissolved, the payments go back to the
    queue and the next batch takes the corrected details."""
    import datetime

    from grants.models import AuditEvent, Organisation

    fine, nameless = payments_for(funder, ["100.00", "250.00"])
    today = datetime.date.today()
    stuck = batch_build(funder=funder, actor=finance_officer, due_before=today)
    Payment.objects.filter(pk=nameless.pk).update(creditor_name="")  # built from details kept from before
    Organisation.objects.filter(pk=nameless.payee_id).update(account_holder="")
    with pytest.raises(ActionRefused):
        batch_export(batch=stuck, actor=finance_officer)
    Organisation.objects.filter(pk=nameless.payee_id).update(account_holder="Stichting Gecorrigeerd")

    client.force_login(finance_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("finance:batch", args=[funder.slug, stuck.pk])).content.decode()
    assert reverse("finance:batch_dissolve", args=[funder.slug, stuck.pk]) in page
    response = client.post(reverse("finance:batch_dissolve", args=[funder.slug, stuck.pk]), follow=True)
    assert f"Batch {stuck.reference} dissolved: its payments are back in the queue." in response.content.decode()
    stuck.refresh_from_db()
    assert stuck.status == "dissolved"
    assert set(Payment.objects.filter(pk__in=[fine.pk, nameless.pk]).values_list("status", "batch")) == {
        ("approved", None)
    }
    event = AuditEvent.objects.get(action="dissolve_batch")
    assert (event.actor, event.data) == (finance_officer, {"count": 2, "total": "350.00"})
    with translation.override("en"), pytest.raises(ActionRefused, match="was dissolved"):
        batch_export(batch=stuck, actor=finance_officer)

    fresh = batch_export(
        batch=batch_build(funder=funder, actor=finance_officer, due_before=today), actor=finance_officer
    )
    assert fresh.payments.get(pk=nameless.pk).creditor_name == "Stichting Gecorrigeerd"
    assert (fresh.status, fresh.payment_count) == ("exported", 2)


@pytest.mark.django_db
def test_only_an_open_batch_of_ones_own_funder_is_dissolved(client, funder, finance_officer):
    import datetime

    from workflow.actions.money import batch_dissolve

    payments_for(funder, ["10.00"])
    built = batch_build(funder=funder, actor=finance_officer, due_before=datetime.date.today())
    other = staff(ApplicationFactory().scheme.funder, Role.FINANCE)
    client.force_login(other)
    assert client.post(reverse("finance:batch_dissolve", args=[funder.slug, built.pk])).status_code == 404
    exported = batch_export(batch=built, actor=finance_officer)
    with translation.override("en"), pytest.raises(ActionRefused, match="Only an open batch can be dissolved"):
        batch_dissolve(batch=exported, actor=finance_officer)
    exported.refresh_from_db()
    assert exported.status == "exported"
