"""Bank details, the payment schedule, approval with four eyes, reports and settlement."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from finance.forms import BankDetailsForm
from finance.models import Payment
from finance.services import payee_for
from grants.models import AuditEvent, Decision, Report, ReportCostLine
from tests.factories import ApplicationFactory, DecisionFactory, force_status, staff, under_objection
from workflow.actions.decisions import decision_take
from workflow.actions.money import (
    bank_details_confirm,
    bank_details_enter,
    payment_approve,
    report_accept,
    report_return,
    settlement_assess,
)
from workflow.exceptions import ActionRefused, PermissionRefused
from workflow.states import DecisionKind, Role

from .conftest import IBAN_BOARD, confirm_bank_details, make_payment, settled_under_objection

pytestmark = pytest.mark.django_db
D = Decimal


# --- Bank details -----------------------------------------------------------------------------------
def test_team_enters_valid_iban_bic_is_derived_and_officer_confirms(application, officer):
    member = application.team.contact
    payee = bank_details_enter(
        application=application, actor=member, iban="nl91 abna 0417 1643 00", account_holder="Stichting PO"
    )
    assert (payee.iban, payee.bic, payee.bank_details_confirmed_at) == ("NL91ABNA0417164300", "ABNANL2A", None)
    assert payee == application.schools.get().board  # the payee rule: the first school's board
    bank_details_confirm(application=application, actor=officer)
    payee.refresh_from_db()
    assert payee.bank_details_confirmed_by == officer


@pytest.mark.parametrize("iban", ["NL91ABNA0417164301", "XX00", "NL91 ABNA 0417", ""])
def test_a_bad_iban_cannot_enter_through_action_form_or_model(application, iban):
    with pytest.raises(ActionRefused):
        bank_details_enter(application=application, actor=application.team.contact, iban=iban, account_holder="X")
    form = BankDetailsForm(data={"iban": iban, "account_holder": "Stichting"})
    assert not form.is_valid()
    assert "iban" in form.errors
    payee = payee_for(application)
    payee.iban = iban or "NL00"
    with pytest.raises(ValidationError):
        payee.full_clean()


NOT_VALID = "This is not a valid IBAN: "


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("NL91ABNA0417164301", NOT_VALID + "the check digits do not match; check the number for a typo."),
        ("NL91", NOT_VALID + "a Dutch IBAN has 18 characters (without spaces); this one has 4."),
        ("NL91 ABNA 0417 1643 001", NOT_VALID + "a Dutch IBAN has 18 characters (without spaces); this one has 19."),
        (
            "DE89 3704 0044 0532 0130",
            NOT_VALID + "an IBAN with country code DE has 22 characters (without spaces); this one has 20.",
        ),
        ("XX91ABNA0417164300", NOT_VALID + "XX is not the country code of a country that uses IBANs."),
        ("XX00", NOT_VALID + "XX is not the country code of a country that uses IBANs."),
        (
            "NL9112340417164300",
            NOT_VALID + "after NL and the two check digits, a Dutch IBAN has four letters for the bank and ten "
            "digits for the account.",
        ),
        ("NL91-ABNA-0417-1643-00", NOT_VALID + "an IBAN has only letters and digits (spaces may be left in)."),
        (
            "12345678",
            NOT_VALID + "an IBAN starts with two letters for the country and two check digits, such as NL91.",
        ),
    ],
    ids=["check-digits", "short", "long", "short-de", "country", "country-short", "bank", "characters", "start"],
)
def test_a_bad_iban_says_what_is_wrong_the_same_in_action_form_and_model(application, iban, message):
    """schwifty's English text ("Invalid checksum digits"; "Invalid characters" for a number that is
    too short) never reaches the user: each mistake has its own translated sentence, in all three places."""
    with translation.override("en"):
        with pytest.raises(ActionRefused) as refusal:
            bank_details_enter(application=application, actor=application.team.contact, iban=iban, account_holder="X")
        assert refusal.value.messages == [message]
        form = BankDetailsForm(data={"iban": iban, "account_holder": "Stichting"})
        assert form.errors["iban"] == [message]
        payee = payee_for(application)
        payee.iban = iban
        with pytest.raises(ValidationError) as invalid:
            payee.full_clean(validate_unique=False, validate_constraints=False)
        assert invalid.value.message_dict["iban"] == [message]


def test_every_schwifty_exception_has_its_own_message_without_library_text():
    from schwifty import exceptions

    from grants.iban import iban_error_message

    kinds = [
        kind
        for kind in exceptions.SchwiftyException.__subclasses__()
        if kind is not exceptions.GenerateRandomOverflowError  # only raised when generating numbers
    ]
    assert len(kinds) >= 8
    with translation.override("en"):
        fallback = iban_error_message("NL91ABNA0417164300", exceptions.SchwiftyException("Something"))
        messages = {}
        for kind in kinds:
            error = kind(f"English library text for {kind.__name__}")
            message = iban_error_message("NL91ABNA0417164300", error)
            assert "English library text" not in message
            messages[kind.__name__] = message
    assert fallback not in messages.values(), messages
    assert len(set(messages.values())) == len(messages), messages


def test_confirmed_details_are_changed_by_the_officer_confirmed_again_and_audited(application, officer):
    member = application.team.contact
    bank_details_enter(application=application, actor=member, iban="NL91ABNA0417164300", account_holder="Stichting")
    bank_details_confirm(application=application, actor=officer)
    with pytest.raises(ActionRefused, match="Vraag de behandelaar van de subsidieverstrekker om ze te wijzigen"):
        bank_details_enter(application=application, actor=member, iban=IBAN_BOARD, account_holder="Stichting")
    payee = bank_details_enter(application=application, actor=officer, iban=IBAN_BOARD, account_holder="Stichting")
    assert (payee.iban, payee.bank_details_confirmed_at) == (IBAN_BOARD, None)
    event = AuditEvent.objects.filter(action="bank_details_changed").get()
    assert (event.from_state, event.actor) == ("confirmed", officer)
    assert event.data["previous"]["iban"] == "NL91 …4300"


def test_whoever_entered_or_last_changed_the_bank_details_cannot_confirm_them(application, officer):
    """Four eyes on the account: one officer alone cannot point a grant's money at an account of his choosing."""
    colleague = staff(application.scheme.funder, Role.OFFICER)
    bank_details_enter(application=application, actor=officer, iban="NL91ABNA0417164300", account_holder="Stichting")
    with translation.override("en"), pytest.raises(PermissionRefused, match="another officer must check and confirm"):
        bank_details_confirm(application=application, actor=officer)
    payee = payee_for(application)
    assert payee.bank_details_confirmed_at is None
    bank_details_confirm(application=application, actor=colleague)
    # The colleague changes them later: now the first officer confirms, the colleague may not.
    bank_details_enter(application=application, actor=colleague, iban=IBAN_BOARD, account_holder="Stichting")
    with pytest.raises(PermissionRefused):
        bank_details_confirm(application=application, actor=colleague)
    bank_details_confirm(application=application, actor=officer)
    payee.refresh_from_db()
    assert (payee.iban, payee.bank_details_confirmed_by) == (IBAN_BOARD, officer)


def test_a_new_account_sends_approved_payments_back_for_approval_so_none_is_paid_to_it_unchecked(
    application, officer, finance_officer, decider
):
    """Approved while the old account was confirmed, a payment does not follow the payee to a new one:
    it waits, scheduled, until a colleague confirmed the new account and finance approved it again."""
    from workflow.actions.money import batch_build

    funder = application.scheme.funder
    board = confirm_bank_details(application.schools.get().board, iban=IBAN_BOARD)
    approved = make_payment(application, status="scheduled", prepared_by=decider)
    payment_approve(payment=approved, actor=finance_officer)
    other_grant = ApplicationFactory(active=True, scheme__funder=funder)
    other_grant.schools.set([application.schools.get()])  # the same board is paid for another grant
    shared = make_payment(other_grant, status="approved", amount="500.00")
    with translation.override("en"):
        bank_details_enter(application=application, actor=officer, iban="NL91ABNA0417164300", account_holder="Mr X")

    for payment in (approved, shared):
        payment.refresh_from_db()
        assert (payment.status, payment.approved_by) == ("scheduled", None)
        event = AuditEvent.objects.get(subject_id=payment.pk, action="withdraw_approval")
        assert (event.actor, event.from_state, event.to_state) == (officer, "approved", "scheduled")
        assert event.reason.startswith("The payee's bank details changed; approve this payment again")
        assert event.data["iban"] == "NL91 …4300"
    assert AuditEvent.objects.get(subject_id=approved.pk, action="withdraw_approval").data["approved_by"] == (
        finance_officer.pk
    )
    with pytest.raises(ActionRefused):  # nothing approved is left for a batch
        batch_build(funder=funder, actor=finance_officer, due_before=timezone.localdate())
    with pytest.raises(ActionRefused):  # and nothing is approved to an unconfirmed account
        payment_approve(payment=approved, actor=finance_officer)

    with pytest.raises(PermissionRefused):
        bank_details_confirm(application=application, actor=officer)
    bank_details_confirm(application=application, actor=staff(funder, Role.OFFICER))
    payment_approve(payment=approved, actor=finance_officer)
    batch = batch_build(funder=funder, actor=finance_officer, due_before=timezone.localdate())
    assert list(batch.payments.values_list("pk", "creditor_iban")) == [(approved.pk, "NL91ABNA0417164300")]
    board.refresh_from_db()
    assert board.account_holder == "Mr X"


def test_a_payment_already_in_a_batch_keeps_the_account_confirmed_when_the_batch_was_built(
    application, officer, finance_officer
):
    from workflow.actions.money import batch_build

    confirm_bank_details(application.schools.get().board, iban=IBAN_BOARD)
    payment = make_payment(application, status="approved")
    batch = batch_build(funder=application.scheme.funder, actor=finance_officer, due_before=timezone.localdate())
    bank_details_enter(application=application, actor=officer, iban="NL91ABNA0417164300", account_holder="Mr X")
    payment.refresh_from_db()
    assert (payment.status, payment.batch, payment.creditor_iban) == ("approved", batch, IBAN_BOARD)


def test_a_team_cannot_take_over_the_account_of_a_board_another_teams_grant_is_paid_to():
    victim = ApplicationFactory(active=True)
    school = victim.schools.get()
    confirm_bank_details(school.board)
    outsider_draft = ApplicationFactory(complete=False)
    outsider_draft.schools.set([school])  # any team may name any school on its draft
    intruder = outsider_draft.team.contact
    with pytest.raises(ActionRefused, match="zodra de subsidie is verleend"):
        bank_details_enter(application=outsider_draft, actor=intruder, iban="NL91ABNA0417164300", account_holder="X")
    awarded_elsewhere = ApplicationFactory(active=True)
    awarded_elsewhere.schools.set([school])
    with pytest.raises(ActionRefused, match="Vraag de behandelaar"):
        bank_details_enter(
            application=awarded_elsewhere,
            actor=awarded_elsewhere.team.contact,
            iban="NL91ABNA0417164300",
            account_holder="X",
        )
    school.board.refresh_from_db()
    assert school.board.iban == IBAN_BOARD
    assert school.board.bank_details_confirmed_at is not None


def test_outsiders_cannot_enter_and_only_an_officer_confirms(application, funder, finance_officer):
    outsider = ApplicationFactory().team.contact
    with pytest.raises(PermissionRefused):
        bank_details_enter(application=application, actor=outsider, iban=IBAN_BOARD, account_holder="X")
    with pytest.raises(PermissionRefused):
        bank_details_enter(application=application, actor=finance_officer, iban=IBAN_BOARD, account_holder="X")
    bank_details_enter(application=application, actor=application.team.contact, iban=IBAN_BOARD, account_holder="X")
    with pytest.raises(PermissionRefused):
        bank_details_confirm(application=application, actor=finance_officer)


@pytest.mark.parametrize(
    ("holder", "code"),
    [("Stichting \ufffe Wijs", "U+FFFE"), ("Stichting\u200bWijs", "U+200B"), ("Stichting \x07\x07 Wijs", "U+0007")],
)
def test_a_hidden_character_in_the_account_holder_is_refused_in_action_and_form(application, holder, code):
    """Pasted from a PDF it cannot be seen when the officer confirms, and U+FFFE broke the XLSX export."""
    with pytest.raises(ActionRefused) as refused:
        bank_details_enter(
            application=application, actor=application.team.contact, iban=IBAN_BOARD, account_holder=holder
        )
    assert [code in message for message in refused.value.messages] == [True]  # one message naming it
    form = BankDetailsForm(data={"iban": IBAN_BOARD, "account_holder": holder})
    assert not form.is_valid()
    assert "account_holder" in form.errors
    payee = payee_for(application)
    payee.refresh_from_db()
    assert payee.account_holder != holder


def test_a_non_breaking_space_in_the_account_holder_is_an_ordinary_space(application):
    payee = bank_details_enter(
        application=application, actor=application.team.contact, iban=IBAN_BOARD, account_holder="Stichting\u00a0Wijs"
    )
    assert payee.account_holder == "Stichting Wijs"


@pytest.mark.parametrize("model", ["funder", "organisation"])
def test_a_bic_is_checked_against_the_sepa_pattern_and_upper_cased(application, model):
    from django.forms import modelform_factory

    instance = application.scheme.funder if model == "funder" else payee_for(application)
    instance.bic = "abnanl2a"
    instance.full_clean()
    assert instance.bic == "ABNANL2A"  # the bank's schema has upper case only
    for wrong in ("ABNANL2", "ABNANL1A", "ABNANL2AXX", "ABN4NL2A", "ABNANL2A-01"):
        instance.bic = wrong
        with pytest.raises(ValidationError, match="BIC"):
            instance.full_clean()
    form = modelform_factory(type(instance), fields=["bic"])(data={"bic": " rabo nl 2u "}, instance=instance)
    assert form.is_valid(), form.errors
    assert form.save().bic == "RABONL2U"
    form = modelform_factory(type(instance), fields=["bic"])(data={"bic": "RABONL1U"}, instance=instance)
    assert not form.is_valid()
    assert "bic" in form.errors


# --- Schedule on award ------------------------------------------------------------------------------
def test_award_schedules_the_advance_due_on_project_start(django_capture_on_commit_callbacks):
    decision = DecisionFactory()
    application = decision.application
    force_status(application.pledges.get(), "confirmed")
    decider = staff(application.scheme.funder, Role.DECIDER)
    with django_capture_on_commit_callbacks(execute=True):
        decision_take(decision=decision, actor=decider)
    payment = Payment.objects.get(application=application)
    assert (payment.kind, payment.amount, payment.status) == ("advance", D("8000.00"), "scheduled")
    assert payment.due_date == application.project_start
    assert payment.prepared_by == decider
    assert payment.decision == decision
    assert payment.payee == application.schools.get().board


# --- Approval ---------------------------------------------------------------------------------------
def test_approval_needs_confirmed_bank_details_and_four_eyes(application, finance_officer, decider):
    payment = make_payment(application, status="scheduled", prepared_by=decider)
    with pytest.raises(ActionRefused, match="geen bevestigde bankgegevens"):
        payment_approve(payment=payment, actor=finance_officer)
    confirm_bank_details(payment.payee)
    with pytest.raises(PermissionRefused, match="vier ogen"):
        payment_approve(payment=payment, actor=decider)
    payment_approve(payment=payment, actor=finance_officer)
    payment.refresh_from_db()
    assert (payment.status, payment.approved_by) == ("approved", finance_officer)


def test_officer_cannot_approve_payments(application, officer):
    payment = make_payment(application, status="scheduled")
    confirm_bank_details(payment.payee)
    with pytest.raises(PermissionRefused):
        payment_approve(payment=payment, actor=officer)


# --- Reports and settlement -------------------------------------------------------------------------
def final_report(application, *, actual="20000.00", cofunding="10000.00", status="submitted"):
    force_status(application, "final_report_submitted")
    report = Report.objects.create(
        application=application,
        kind=Report.Kind.FINAL,
        due_date=timezone.localdate(),
        results="Vijf lessen gegeven.",
        realised_cofunding=D(cofunding),
    )
    line = application.budget_lines.get()
    ReportCostLine.objects.create(report=report, budget_line=line, actual_amount=D(actual))
    force_status(report, status)
    return report, line


def test_officer_accepts_an_interim_report_with_comment(application, officer):
    report = Report.objects.create(application=application, kind="interim", due_date=timezone.localdate())
    force_status(report, "submitted")
    report_accept(report=report, actor=officer, comment="Mooi op schema.")
    report.refresh_from_db()
    assert (report.status, report.officer_comment, report.assessed_by) == ("accepted", "Mooi op schema.", officer)


def test_returning_the_final_report_reopens_the_project(application, officer):
    report, _ = final_report(application)
    with pytest.raises(ActionRefused):
        report_return(report=report, actor=officer, comment="  ")
    report_return(report=report, actor=officer, comment="De kosten per post ontbreken.")
    report.refresh_from_db()
    application.refresh_from_db()
    assert (report.status, application.status) == ("returned", "active")
    assert report.officer_comment == "De kosten per post ontbreken."


def test_settlement_with_cofunding_shortfall_recovers_the_overpaid_advance(
    application, officer, django_capture_on_commit_callbacks
):
    advance = make_payment(application, status="paid", amount="8000.00")
    pending_extra = make_payment(application, status="approved", kind="remainder", amount="100.00")
    report, line = final_report(application, cofunding="6000.00")
    with django_capture_on_commit_callbacks(execute=True):
        decision = settlement_assess(
            report=report, actor=officer, eligible={line.pk: D("20000.00")}, realised_cofunding=D("6000.00")
        )
    application.refresh_from_db()
    assert application.status == "settled"
    assert application.settled_amount == D("6000.00")
    assert decision.amount == D("6000.00")
    data = decision.data["settlement"]
    assert (data["settled"], data["cofunding_cap"], data["limited_by"]) == ("6000.00", "6000.00", "cofunding_cap")
    pending_extra.refresh_from_db()
    assert pending_extra.status == "cancelled"
    recovery = Payment.objects.get(application=application, kind="recovery")
    assert recovery.amount == D("2000.00")
    assert recovery.status == "scheduled"
    letter = Decision.objects.get(application=application, kind=DecisionKind.RECOVERY)
    assert recovery.decision == letter
    assert letter.amount == D("2000.00")
    assert recovery.due_date == letter.due_date == timezone.localdate() + datetime.timedelta(weeks=6)
    assert letter.letters.count() == 1  # queued through issue_letter like every decision
    report.refresh_from_db()
    assert report.status == "accepted"
    assert advance.pk


def test_settlement_after_underspend_pays_the_remainder(application, officer):
    make_payment(application, status="paid", amount="8000.00")
    report, line = final_report(application, actual="19000.00")
    settlement_assess(report=report, actor=officer, eligible={line.pk: D("18500.00")}, realised_cofunding=D("10000"))
    remainder = Payment.objects.get(application=application, kind="remainder")
    assert remainder.amount == D("1250.00")  # 18,500 / 2 = 9,250 settled minus 8,000 paid
    assert not Decision.objects.filter(application=application, kind=DecisionKind.RECOVERY).exists()
    line_cost = report.cost_lines.get()
    assert line_cost.eligible_amount == D("18500.00")


def test_settlement_refuses_eligible_above_actual(application, officer):
    report, line = final_report(application, actual="1000.00")
    with pytest.raises(ActionRefused):
        settlement_assess(report=report, actor=officer, eligible={line.pk: D("5000")}, realised_cofunding=D("0"))
    application.refresh_from_db()
    assert application.status == "final_report_submitted"


def test_an_unpaid_advance_is_cancelled_not_recovered(application, officer):
    advance = make_payment(application, status="approved", amount="8000.00")
    report, line = final_report(application, cofunding="3000.00")
    settlement_assess(report=report, actor=officer, eligible={line.pk: D("20000")}, realised_cofunding=D("3000"))
    advance.refresh_from_db()
    assert advance.status == "cancelled"
    remainder = Payment.objects.get(application=application, kind="remainder")
    assert remainder.amount == D("3000.00")


def test_revocation_recovers_everything_paid_and_cancels_what_was_not(application, decider):
    from workflow.actions.money import payments_after_revocation
    from workflow.actions.screening import take_decision

    make_payment(application, status="paid", amount="8000.00")
    pending = make_payment(application, status="approved", kind="remainder", amount="2000.00")
    force_status(application, "revoked")
    revocation = take_decision(
        application, kind=DecisionKind.REVOCATION, actor=decider, reasons="Voorwaarden geschonden"
    )
    payments_after_revocation(application, actor=decider, decision=revocation)
    pending.refresh_from_db()
    assert pending.status == "cancelled"
    recovery = Payment.objects.get(application=application, kind="recovery")
    assert recovery.amount == D("8000.00")
    # A recovery is a decision of its own (Awb 4:57): its letter names the amount and the day it is due.
    decision = recovery.decision
    assert (decision.kind, decision.amount, decision.data["revocation"]) == (
        DecisionKind.RECOVERY,
        D("8000.00"),
        revocation.pk,
    )
    assert recovery.due_date == decision.due_date == timezone.localdate() + datetime.timedelta(weeks=6)
    assert decision.letters.count() == 1
    assert AuditEvent.objects.filter(subject_id=recovery.pk, action="schedule_payment").exists()
    revocation.refresh_from_db()
    assert revocation.data["paid"] == "8000.00"
    # Running it again claims nothing twice.
    payments_after_revocation(application, actor=decider, decision=revocation)
    assert Payment.objects.filter(application=application, kind="recovery").count() == 1
    assert application.decisions.filter(kind=DecisionKind.RECOVERY).count() == 1


def test_a_rejection_overturned_into_an_award_schedules_the_advance():
    from workflow.actions.objections import objection_decide
    from workflow.actions.screening import take_decision

    application = ApplicationFactory(rejected=True)
    force_status(application.pledges.get(), "confirmed")
    decider = staff(application.scheme.funder, Role.DECIDER)
    rejection = take_decision(application, kind=DecisionKind.REJECTION, actor=decider, reasons="Te duur")
    objection = under_objection(rejection, grounds="Onterecht")
    objection_decide(objection=objection, actor=decider, overturn=True, reasons="Terecht bezwaar")
    advance = Payment.objects.get(application=application)
    assert (advance.kind, advance.amount) == ("advance", D("8000.00"))


def _award_under_objection(*, awarded="8000.00", requested="10000.00"):
    """An award of `awarded` (the scheme pays 80% in advance) that its team objected to."""
    from workflow.actions.screening import take_decision

    application = ApplicationFactory(awarded=True, amount=D(requested))
    decider = staff(application.scheme.funder, Role.DECIDER)
    award = take_decision(application, kind=DecisionKind.AWARD, actor=decider, amount=D(awarded))
    objection = under_objection(award, grounds="Te weinig", awarded_amount=D(awarded))
    return application, objection, decider


@pytest.mark.parametrize("with_the_bank", [False, True], ids=["advance-pending", "advance-paid"])
def test_an_award_raised_on_objection_moves_the_advance_with_it(with_the_bank):
    from workflow.actions.objections import objection_decide

    application, objection, decider = _award_under_objection()
    advance = make_payment(application, status="paid" if with_the_bank else "approved", amount="6400.00")
    objection_decide(objection=objection, actor=decider, overturn=True, reasons="Terecht", amount=D("9000.00"))

    advance.refresh_from_db()
    new = Payment.objects.exclude(pk=advance.pk).get(application=application)
    assert new.kind == "advance"
    assert new.status == "scheduled"
    assert new.decision.kind == DecisionKind.OBJECTION_OVERTURNED
    if with_the_bank:  # the bank has 6,400: the rest of 80% of 9,000 follows as an extra advance
        assert advance.status == "paid"
        assert new.amount == D("800.00")
    else:  # not yet with the bank: scheduled again at 80% of the new amount
        assert advance.status == "cancelled"
        assert new.amount == D("7200.00")
        cancel = AuditEvent.objects.get(subject_id=advance.pk, action="cancel")
        assert cancel.reason == "Vervangen door de beslissing op bezwaar."
    scheduled = AuditEvent.objects.get(subject_id=new.pk, action="schedule_payment")
    assert scheduled.data["amount"] == str(new.amount)


@pytest.mark.parametrize("revoked_while", ["awarded", "active"])
def test_a_revocation_undone_on_objection_restores_the_state_and_the_payments(revoked_while):
    """Revoked while awarded: back to awarded, the cancelled advance scheduled again. Revoked while
    running with the advance paid: back to active, the recovery not yet collected cancelled."""
    from workflow.actions import application_object, application_revoke, objection_decide, revocation_prepare

    application = ApplicationFactory(**{revoked_while: True})
    funder = application.scheme.funder
    officer, decider = staff(funder, Role.OFFICER), staff(funder, Role.DECIDER)
    advance = make_payment(application, status="approved" if revoked_while == "awarded" else "paid")
    revocation_prepare(application=application, actor=officer, reasons="Voorwaarden geschonden")
    application_revoke(application=application, actor=decider)
    advance.refresh_from_db()
    recovery = Payment.objects.filter(application=application, kind="recovery").first()
    if revoked_while == "awarded":
        assert advance.status == "cancelled"
        assert recovery is None
    else:
        assert advance.status == "paid"
        assert (recovery.amount, recovery.status) == (D("8000.00"), "scheduled")

    objection = application_object(application=application, actor=application.team.contact, grounds="Onterecht")
    objection_decide(objection=objection, actor=decider, overturn=True, reasons="De voorwaarden zijn nageleefd")

    application.refresh_from_db()
    assert application.status == revoked_while
    assert application.status_before_revocation == ""
    overturned = application.decisions.get(kind=DecisionKind.OBJECTION_OVERTURNED)
    if revoked_while == "awarded":
        again = Payment.objects.get(application=application, status="scheduled")
        assert (again.kind, again.amount, again.decision) == ("advance", D("8000.00"), overturned)
        assert again.pk != advance.pk
        event = AuditEvent.objects.get(subject_id=again.pk, action="schedule_payment")
        assert event.data["replaces"] == advance.pk
    else:
        recovery.refresh_from_db()
        assert recovery.status == "cancelled"
        assert AuditEvent.objects.filter(subject_id=recovery.pk, action="cancel").exists()
        assert not Payment.objects.filter(application=application, status="scheduled").exists()
    assert AuditEvent.objects.get(application=application, action="overturn").to_state == revoked_while


def test_a_revocation_undone_after_the_team_paid_the_recovery_back_pays_it_to_the_team_again():
    """The grant stands again, so the 8,000 the team returned is owed to it: an advance of 8,000, scheduled
    under the decision on the objection (its letter says so), approved by finance like any other."""
    from django.template.loader import render_to_string

    from documents.letters import build_content
    from workflow.actions import application_object, application_revoke, objection_decide, revocation_prepare
    from workflow.actions.money import payment_record_received

    application = ApplicationFactory(active=True)
    funder = application.scheme.funder
    officer, decider, finance = staff(funder, Role.OFFICER), staff(funder, Role.DECIDER), staff(funder, Role.FINANCE)
    confirm_bank_details(application.schools.get().board)
    advance = make_payment(application, status="paid", amount="8000.00")
    revocation_prepare(application=application, actor=officer, reasons="Voorwaarden geschonden")
    application_revoke(application=application, actor=decider)
    recovery = Payment.objects.get(application=application, kind="recovery")
    payment_approve(payment=recovery, actor=finance)
    payment_record_received(payment=recovery, actor=finance)
    objection = application_object(application=application, actor=application.team.contact, grounds="Onterecht")
    objection_decide(objection=objection, actor=decider, overturn=True, reasons="De voorwaarden zijn nageleefd")

    overturned = application.decisions.get(kind=DecisionKind.OBJECTION_OVERTURNED)
    repayment = Payment.objects.get(application=application, status="scheduled")
    assert (repayment.kind, repayment.amount, repayment.decision) == ("advance", D("8000.00"), overturned)
    assert repayment.payee == advance.payee
    assert repayment.prepared_by == decider  # so finance, not the decider, approves it
    recovery.refresh_from_db()
    assert recovery.status == "paid"  # what happened stays as it happened
    event = AuditEvent.objects.get(subject_id=repayment.pk, action="schedule_payment")
    assert (event.actor, event.data["repays"], event.data["amount"]) == (decider, [recovery.pk], "8000.00")
    assert overturned.data["overturn"]["repaid"] == [
        {"kind": "advance", "amount": "8000.00", "due_date": timezone.localdate().isoformat()}
    ]
    content = build_content(overturned)
    letter = " ".join(render_to_string("documents/letters/objection_overturned.html", content.context).split())
    assert "Wat u na de intrekking al aan ons had terugbetaald, betalen wij u terug:" in letter
    assert "<strong>€ 8.000,00</strong>, betaalbaar op" in letter
    payment_approve(payment=repayment, actor=finance)


@pytest.mark.parametrize(
    ("new", "kind", "amount"), [("9000.00", "remainder", "1000.00"), ("7000.00", "recovery", "1000.00")]
)
def test_a_settlement_raised_on_objection_recomputes_the_remainder_or_the_recovery(new, kind, amount):
    from django.utils import translation

    from workflow.actions import objection_decide

    application, objection, decider, first_recovery = settled_under_objection()

    def overturn(value):
        objection_decide(objection=objection, actor=decider, overturn=True, reasons="Kosten aangetoond", amount=value)

    with translation.override("en"):
        with pytest.raises(ActionRefused, match="Enter the new settled amount"):
            overturn(None)
        with pytest.raises(ActionRefused, match="more than the current"):
            overturn(D("6000.00"))
        with pytest.raises(ActionRefused, match="cannot exceed the award"):
            overturn(D("10000.01"))
    overturn(D(new))

    application.refresh_from_db()
    assert (application.status, application.settled_amount) == ("settled", D(new))
    first_recovery.refresh_from_db()
    assert first_recovery.status == "cancelled"
    assert AuditEvent.objects.filter(subject_id=first_recovery.pk, action="cancel").exists()
    open_payment = Payment.objects.get(application=application, status="scheduled")
    assert (open_payment.kind, open_payment.amount) == (kind, D(amount))
    if kind == "recovery":  # a new, smaller recovery with its own decision and letter
        assert open_payment.decision.kind == DecisionKind.RECOVERY


def test_a_recovery_is_objected_to_as_its_settlement_and_one_taken_on_objection_leaves_appeal():
    """A recovery is a besluit (Awb 4:57): its letter's objection clause holds, the objection is against it and
    decided as the settlement's. The smaller recovery the decision on objection takes is part of that decision:
    its letter names appeal (beroep), and the team cannot object once more."""
    from documents.letters import build_content
    from workflow.actions import application_object, objection_decide

    application, objection, decider, first_recovery = settled_under_objection()
    assert objection.decision == first_recovery.decision  # the latest letter: the recovery's
    context = build_content(first_recovery.decision).context
    assert (context["objection_clause"], context["appeal_clause"]) == (True, False)
    objection_decide(objection=objection, actor=decider, overturn=True, reasons="Kosten aangetoond", amount=D("7000"))

    second = Decision.objects.get(application=application, kind=DecisionKind.RECOVERY, amount=D("1000.00"))
    context = build_content(second).context
    assert (context["objection_clause"], context["appeal_clause"]) == (False, True)
    with translation.override("en"), pytest.raises(ActionRefused, match="appeal to the court"):
        application_object(application=application, actor=application.team.contact, grounds="Nog steeds te laag")
    application.refresh_from_db()
    assert application.status == "settled"


# --- One rounding rule: the letter, the payments and the settlement agree to the cent ---------------
def award_at_half_a_cent():
    """An award of € 12.345,65 at 50 % advance and co-funding ratio 0,50: both halves end in half a cent,
    co-funded with exactly what the scheme requires."""
    application = ApplicationFactory(cofunding_check=True, amount=D("12345.65"))
    scheme = application.scheme
    scheme.advance_percentage, scheme.cofunding_ratio = D("50.00"), D("0.50")
    scheme.save()
    required = application.required_cofunding(D("12345.65"))
    application.pledges.update(amount=required)
    decision = DecisionFactory(application=application, amount=D("12345.65"))
    decision_take(decision=decision, actor=staff(scheme.funder, Role.DECIDER))
    application.refresh_from_db()
    return application, decision, required


def test_the_award_letter_states_the_advance_finance_pays():
    from documents.letters import build_content

    application, decision, _required = award_at_half_a_cent()
    advance = Payment.objects.get(application=application, kind="advance")
    letter = build_content(decision).context
    assert advance.amount == D("6172.83")  # 6.172,825 half up
    assert letter["advance"] == "€ 6.172,83"  # was € 6.172,82 (half even) beside a payment of 6.172,83
    assert letter["remainder"] == "€ 6.172,82"  # advance + remainder = the award, to the cent
    assert letter["required_cofunding"] == "€ 6.172,83"


def test_a_team_that_pledged_exactly_the_required_cofunding_is_settled_at_its_award():
    application, _decision, required = award_at_half_a_cent()
    officer = staff(application.scheme.funder, Role.OFFICER)
    assert required == D("6172.83")  # rounded up: was 6.172,82, which caps the grant at 12.345,64
    force_status(Payment.objects.get(application=application, kind="advance"), "paid")
    report, line = final_report(application, actual="24691.30", cofunding=str(required))
    settlement_assess(report=report, actor=officer, eligible={line.pk: D("24691.30")}, realised_cofunding=required)
    application.refresh_from_db()
    assert application.settled_amount == D("12345.65")
    assert Payment.objects.get(application=application, kind="remainder").amount == D("6172.82")
    assert not Payment.objects.filter(application=application, kind="recovery").exists()


@pytest.mark.parametrize(
    ("award", "ratio"),
    [("12345.65", "0.50"), ("100.01", "0.25"), ("33333.33", "0.30"), ("9999.99", "0.15"), ("0.01", "1.00")],
)
def test_meeting_the_required_cofunding_never_lowers_the_settled_grant(award, ratio):
    """Half up is not enough either: 100,01 x 0,25 = 25,0025 would ask 25,00 and cap the grant at 100,00."""
    from finance.settlement import CostLine, calculate_settlement
    from grants.money import required_cofunding

    award, ratio = D(award), D(ratio)
    budget = award * 2
    settlement = calculate_settlement(
        awarded=award,
        budget_total=budget,
        lines=[CostLine("Kosten", budget, budget, budget)],
        cofunding_ratio=ratio,
        realised_cofunding=required_cofunding(award, ratio),
    )
    assert settlement.settled == award


def test_a_bic_is_needed_only_where_the_iban_does_not_give_it_and_must_be_the_ibans_bank(application):
    member = application.team.contact

    def enter(iban, bic=""):
        return bank_details_enter(application=application, actor=member, iban=iban, account_holder="Stichting", bic=bic)

    assert enter("GB29NWBK60161331926819").bic == "NWBKGB2LXXX"  # outside the EEA, but the bank is known
    with translation.override("en"), pytest.raises(ActionRefused, match="Enter the bank's BIC"):
        enter("SM86U0322509800000000270100")  # San Marino
    assert enter("SM86U0322509800000000270100", bic="BMSMSMSMXXX").bic == "BMSMSMSMXXX"
    with translation.override("en"), pytest.raises(ActionRefused, match="not that of the bank of this IBAN"):
        enter("NL91ABNA0417164300", bic="RABONL2U")
    assert enter("NL91ABNA0417164300").bic == "ABNANL2A"  # inside the EEA no BIC needs typing
