"""Finance building blocks the workflow actions call inside their transaction.

These functions never check permissions or write audit events about a user's
intent; the actions in ``workflow.actions.money`` do that around them.
"""

import datetime
import hashlib
import re
import secrets
import tempfile
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from grants.bic import is_valid_bic, normalise_bic, validate_bic
from grants.iban import needs_bic, parse_iban
from grants.models import Application, Funder, Organisation
from grants.money import to_money
from workflow.states import ApplicationStatus, PaymentStatus

from .models import Payment, PayoutBatch

ZERO = Decimal("0.00")
P = PaymentStatus
# Money that left (or is leaving) the funder's account and counts as paid at settlement.
DISBURSED = (P.EXPORTED, P.PAID)
# Outgoing payments not yet in the bank's hands: settlement and revocation cancel them.
PENDING = (P.SCHEDULED, P.APPROVED)


# --- Bank details ------------------------------------------------------------------------------
def normalise_iban(value: str) -> tuple[str, str]:
    """(IBAN in compact form, BIC derived from it or ''); ValidationError, in the reader's language,
    when the IBAN is invalid or outside the SEPA area (every payment is a SEPA credit transfer, which the
    bank rejects for such an account)."""
    iban = parse_iban(value)
    if not iban.in_sepa_zone:
        raise ValidationError(
            _(
                "Payments are made by SEPA credit transfer, and an IBAN with country code %(country)s is "
                "outside the SEPA area. Enter an account in a SEPA country."
            )
            % {"country": iban.country_code},
            code="not_sepa",
        )
    bic = iban.bic
    return iban.compact, str(bic.compact) if bic is not None else ""


def payee_bic(iban: str, *, derived: str, typed: str) -> str:
    """The BIC to store with `iban`: the one typed, else the one derived from the IBAN.

    A SEPA transfer to a bank outside the EEA must carry its BIC (`grants.iban.needs_bic`), so an
    account there whose bank the IBAN does not reveal needs the BIC typed; ValidationError otherwise.
    A typed BIC of another bank or country than the IBAN's derived one is a typo: refused as well.
    """
    typed = normalise_bic(typed)
    if typed:
        validate_bic(typed)
        if derived and typed[:6] != derived[:6]:
            raise ValidationError(
                _(
                    "The BIC %(bic)s is not that of the bank of this IBAN (%(derived)s). Leave the BIC empty "
                    "to use %(derived)s."
                )
                % {"bic": typed, "derived": derived},
                code="bic_mismatch",
            )
        return typed
    if needs_bic(iban) and not derived:
        raise ValidationError(
            _(
                "An account with country code %(country)s is outside the EEA: a SEPA transfer there must name "
                "the bank by its BIC, which cannot be found from this IBAN. Enter the bank's BIC."
            )
            % {"country": iban[:2]},
            code="bic_required",
        )
    return derived


def clean_account_holder(value: str) -> str:
    """The account holder's name as the bank gets it: spaces collapsed; ValidationError when it is
    empty, too long for SEPA (70), or holds a character that does not print.

    A hidden character (a zero-width space, U+FFFE pasted from a PDF, a control) cannot be seen
    when an officer confirms the details, and some break the payout files or the bank's name check.
    Unicode spaces (a non-breaking one) are ordinary spaces here, collapsed before the check.
    """
    holder = " ".join(str(value or "").split())
    if not holder:
        raise ValidationError(_("Enter the account holder's name as the bank knows it."), code="required")
    if len(holder) > 70:
        raise ValidationError(_("The account holder's name can be at most 70 characters."), code="max_length")
    hidden = [character for character in holder if not character.isprintable()]
    if hidden:
        raise ValidationError(
            _(
                "The account holder's name contains a hidden or non-printable character (%(codes)s); "
                "type the name again instead of pasting it."
            )
            % {"codes": ", ".join(dict.fromkeys(f"U+{ord(character):04X}" for character in hidden))},
            code="non_printable",
        )
    return holder


def is_valid_iban(value: str) -> bool:
    try:
        normalise_iban(value)
    except ValidationError:
        return False
    return True


def mask_iban(iban: str) -> str:
    return f"{iban[:4]} …{iban[-4:]}" if iban else ""


def payee_for(application: Application) -> Organisation | None:
    """Who receives the grant: the board (bevoegd gezag) of the application's first school.

    School boards are the legal persons that hold a school's bank account in the Netherlands;
    a school without a board (a private school that is its own legal person) is paid itself.
    "First" is the participating school with the lowest id, i.e. the first one added; with no
    participating schools the team's first school counts.
    """
    school = application.schools.order_by("pk").select_related("board").first()
    if school is None:
        school = application.team.schools.order_by("pk").select_related("board").first()
    if school is None:
        return None
    return school.board or school


def bank_details_confirmed(organisation: Organisation | None) -> bool:
    return bool(organisation and organisation.iban and organisation.bank_details_confirmed_at)


# --- Schedule -----------------------------------------------------------------------------------
def advance_due_date(application: Application, award_date: datetime.date) -> datetime.date:
    """The advance falls due when the project starts, never before the award."""
    if application.project_start and application.project_start > award_date:
        return application.project_start
    return award_date


def disbursed_amount(application: Application) -> Decimal:
    payments = application.payments.filter(kind__in=Payment.OUTGOING, status__in=DISBURSED)
    return payments.aggregate(total=Sum("amount"))["total"] or ZERO


def recovered_amount(application: Application) -> Decimal:
    payments = application.payments.filter(kind=Payment.Kind.RECOVERY, status=P.PAID)
    return payments.aggregate(total=Sum("amount"))["total"] or ZERO


def net_paid(application: Application) -> Decimal:
    """What the team has of the grant: paid out (or at the bank) less the recoveries claimed back."""
    return disbursed_amount(application) - claimed_recoveries(application)


def claimed_recoveries(application: Application) -> Decimal:
    """Recoveries already claimed (received or still open); cancelled ones do not count."""
    payments = application.payments.filter(kind=Payment.Kind.RECOVERY).exclude(status=P.CANCELLED)
    return payments.aggregate(total=Sum("amount"))["total"] or ZERO


def revoked_q(prefix: str = "") -> Q:
    """Revoked, also while an objection against the revocation runs: nothing is paid out meanwhile."""
    status, before = f"{prefix}status", f"{prefix}status_before_objection"
    revoked = ApplicationStatus.REVOKED
    return Q(**{status: revoked}) | Q(**{status: ApplicationStatus.OBJECTION, before: revoked})


def grant_revoked(application: Application) -> bool:
    """`revoked_q` for one loaded application."""
    return application.status == ApplicationStatus.REVOKED or (
        application.status == ApplicationStatus.OBJECTION
        and application.status_before_objection == ApplicationStatus.REVOKED
    )


def still_owed(application: Application) -> Decimal | None:
    """What the funder still owes a settled grant: the settled amount minus what the bank has or had
    (exported or paid) net of recoveries received; None before settlement, when the award still runs.

    Recoveries not yet received do not count: they were claimed on what was paid, which is what the
    caller is reconsidering.
    """
    if application.settled_amount is None:
        return None
    return application.settled_amount - (disbursed_amount(application) - recovered_amount(application))


def schedule_payment(application, *, kind, amount, due_date, actor, decision=None) -> Payment | None:
    amount = to_money(amount)
    if amount <= 0:
        return None
    return Payment.objects.create(
        application=application,
        kind=kind,
        amount=amount,
        due_date=due_date,
        payee=payee_for(application),
        decision=decision,
        prepared_by=actor,
    )


# --- Batches ------------------------------------------------------------------------------------
def batchable_payments(funder: Funder, *, due_before: datetime.date, scheme=None):
    """Approved outgoing payments of `funder`, due by `due_before`, in no batch, to a confirmed account,
    of grants not revoked (a revocation cancels what is pending, but a payment the bank refused comes
    back as approved; it must never travel again on a revoked grant)."""
    payments = Payment.objects.filter(
        application__scheme__funder=funder,
        status=P.APPROVED,
        batch__isnull=True,
        kind__in=Payment.OUTGOING,
        due_date__lte=due_before,
        payee__bank_details_confirmed_at__isnull=False,
    ).exclude(payee__iban="")
    payments = payments.exclude(revoked_q("application__"))
    if scheme is not None:
        payments = payments.filter(application__scheme=scheme)
    return payments


def new_batch_reference() -> str:
    return f"GD{timezone.localtime():%Y%m%d%H%M%S}{secrets.token_hex(3).upper()}"


def build_batch(funder: Funder, *, actor, due_before: datetime.date, execution_date=None, scheme=None, limit=None):
    """Claim the selected payments for a new batch; returns (batch, count).

    Two finance officers building at the same moment never share a payment: each locks the
    rows it selects with SKIP LOCKED (so the other skips them instead of waiting), and the
    claim itself is a conditional UPDATE ... WHERE batch_id IS NULL AND status = 'approved',
    so even a stale selection can only claim a payment that is still free. Call inside a
    transaction.
    """
    selection = batchable_payments(funder, due_before=due_before, scheme=scheme).order_by("due_date", "pk")
    if limit:
        selection = selection[:limit]
    ids = list(selection.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True))
    if not ids:
        return None, 0
    batch = PayoutBatch.objects.create(
        funder=funder,
        reference=new_batch_reference(),
        created_by=actor,
        execution_date=execution_date or timezone.localdate(),
    )
    count = Payment.objects.filter(pk__in=ids, batch__isnull=True, status=P.APPROVED).update(batch=batch)
    payee = Organisation.objects.filter(pk=OuterRef("payee_id"))
    Payment.objects.filter(batch=batch).update(
        creditor_name=Subquery(payee.values("account_holder")[:1]),
        creditor_iban=Subquery(payee.values("iban")[:1]),
        creditor_bic=Subquery(payee.values("bic")[:1]),
    )
    return batch, count


def lock_batch_payments(batch: PayoutBatch) -> None:
    """Lock the batch's grants, then its payments (each in id order) until the caller's transaction ends;
    read in chunks, since a batch can hold 100,000 of them.

    The grants first, as every action on a grant locks it before its payments: a revocation holding its
    grant while the export held the payments waited for a payment, and the export for the grant (its audit
    events refer to it), and PostgreSQL aborted one of them. NO KEY UPDATE: a colleague's action on such a
    grant waits for the export, but a row that merely refers to the grant (an audit event) does not.
    """
    grants = Application.objects.filter(pk__in=batch.payments.values("application_id"))
    locked = grants.select_for_update(of=("self",), no_key=True).order_by("pk").values_list("pk", flat=True)
    for _pk in locked.iterator(chunk_size=5000):
        pass
    locked = batch.payments.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True)
    for _pk in locked.iterator(chunk_size=5000):
        pass


def batch_totals(batch: PayoutBatch) -> tuple[int, Decimal]:
    totals = batch.payments.aggregate(count=Count("pk"), total=Sum("amount"))
    return totals["count"], totals["total"] or ZERO


# --- What the bank's schema accepts --------------------------------------------------------------
# pain.001.001.03's IBAN2007Identifier; schwifty's checksum check comes on top (is_valid_iban).
SEPA_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}")
MAX_LISTED_PROBLEMS = 20


def debtor_account(funder: Funder) -> tuple[str, str]:
    """The funder's (IBAN, BIC) as the SEPA file states them: its own BIC, else the one the IBAN gives."""
    iban, derived_bic = normalise_iban(funder.iban)
    return iban, funder.bic or derived_bic


def sepa_account_problems(batch: PayoutBatch) -> list[str]:
    """Why the bank would reject this batch's SEPA file for an account, one sentence per payment.

    The bank refuses a whole file whose IBAN or BIC the pain.001 schema does not accept, so the
    export checks every account before it locks the batch (locked, it can no longer be corrected).
    """
    problems = []
    try:
        _iban, bic = debtor_account(batch.funder)
    except ValidationError:
        problems.append(_("The funder's own IBAN is invalid; an administrator must correct it."))
    else:
        if bic and not is_valid_bic(bic):
            problems.append(
                _("The funder's own BIC %(bic)s is invalid; an administrator must correct it.") % {"bic": bic}
            )
    accounts = batch.payments.order_by("pk").values_list(
        "pk", "creditor_name", "creditor_iban", "creditor_bic", "payee__name"
    )
    for pk, holder, iban, bic, organisation in accounts.iterator(chunk_size=5000):
        # Named by the account holder the bank gets, or by the school board when that name is missing.
        names = {"payment": pk, "payee": holder or organisation}
        if not (SEPA_IBAN.fullmatch(iban or "") and is_valid_iban(iban)):
            problems.append(
                _("Payment %(payment)s to %(payee)s: the IBAN %(iban)s is invalid.") % {**names, "iban": iban}
            )
        if bic and not is_valid_bic(bic):
            problems.append(_("Payment %(payment)s to %(payee)s: the BIC %(bic)s is invalid.") % {**names, "bic": bic})
        gaps = account_gaps(holder, iban, bic)
        if NO_HOLDER_NAME in gaps:
            problems.append(
                _(
                    "Payment %(payment)s to %(payee)s: the account holder's name is missing, and the bank "
                    "refuses a transfer without it."
                )
                % names
            )
        if NO_BIC in gaps:
            problems.append(
                _(
                    "Payment %(payment)s to %(payee)s: the IBAN %(iban)s is of a bank outside the EEA "
                    "(%(country)s), where a SEPA transfer must name the bank by its BIC, and no BIC is known."
                )
                % {**names, "iban": iban, "country": iban[:2]}
            )
    return problems


NO_HOLDER_NAME, NO_BIC = "no_holder_name", "no_bic"


def account_gaps(holder: str, iban: str, bic: str) -> set[str]:
    """What the bank refuses in an account whose IBAN and BIC are well formed: no account holder's name
    the SEPA file can carry (it was written as "-" when nothing of it was left in the SEPA character
    set: an empty name kept from before it was required), or no BIC for a bank outside the EEA.
    One rule for the payment's copied details at export and the payee's own at approval."""
    from .exports import sepa_clean

    gaps = set()
    if not sepa_clean(holder, 70):
        gaps.add(NO_HOLDER_NAME)
    if needs_bic(iban) and not bic:
        gaps.add(NO_BIC)
    return gaps


def payee_account_problems(payee: Organisation) -> list[str]:
    """What the bank would refuse in the payee's confirmed account, said before a payment is approved:
    a payment in a batch can no longer be given another account."""
    problems = []
    gaps = account_gaps(payee.account_holder, payee.iban, payee.bic)
    if NO_HOLDER_NAME in gaps:
        problems.append(
            _(
                "The bank details of %(payee)s have no account holder's name, and the bank refuses a transfer "
                "without it. An officer must enter the bank details again."
            )
            % {"payee": payee}
        )
    if NO_BIC in gaps:
        problems.append(
            _(
                "The account of %(payee)s is with a bank outside the EEA (%(country)s), where a SEPA transfer "
                "must name the bank by its BIC, and no BIC is known. An officer must enter it with the bank "
                "details."
            )
            % {"payee": payee, "country": payee.iban[:2]}
        )
    return problems


def listed(problems: list[str]) -> list[str]:
    """The first problems, and how many more: a batch of 100,000 payments gives no page of 100,000 lines."""
    if len(problems) <= MAX_LISTED_PROBLEMS:
        return problems
    rest = len(problems) - MAX_LISTED_PROBLEMS
    return [*problems[:MAX_LISTED_PROBLEMS], _("And %(count)s more.") % {"count": rest}]


def store_batch_files(batch: PayoutBatch) -> None:
    """Write the three exports to storage, hashing each as it streams out of the generator."""
    from . import exports

    for fmt in ("csv", "xlsx", "sepa"):
        digest = hashlib.sha256()
        with tempfile.TemporaryFile() as handle:
            for chunk in exports.generate(batch, fmt):
                digest.update(chunk)
                handle.write(chunk)
            handle.seek(0)
            batch.file_for(fmt).save(exports.filename(batch, fmt), File(handle), save=False)
        setattr(batch, f"{fmt}_sha256", digest.hexdigest())


def payments_queue(funder: Funder):
    return Payment.objects.filter(application__scheme__funder=funder).select_related(
        "application__scheme", "payee", "prepared_by", "approved_by"
    )


def cancel_pending(application: Application, *, actor, reason: str, kinds=Payment.OUTGOING) -> list[Payment]:
    """Cancel payments not yet with the bank (settlement or revocation replaces them).

    `kinds` defaults to the outgoing ones; a revocation undone cancels the open recovery instead.
    """
    from grants.audit import record_event

    cancelled = []
    payments = application.payments.select_for_update().filter(kind__in=kinds, status__in=PENDING).order_by("pk")
    for payment in payments:
        from_state = payment.status
        payment.cancel()
        payment.save(update_fields=["status", "batch"])
        record_event(
            payment,
            actor=actor,
            action="cancel",
            from_state=from_state,
            to_state=payment.status,
            reason=reason,
            application=application,
            data={"amount": str(payment.amount), "kind": payment.kind},
        )
        cancelled.append(payment)
    return cancelled


def schedule_recovery(*, application: Application, actor, reason: str, target_amount: Decimal, decision):
    """Recover what was paid above `target_amount` (0 after a revocation, the settled amount after a
    settlement), tied to the recovery `decision` whose letter claims it; pending outgoing payments are
    cancelled first. Returns the recovery or None. Called inside the caller's transaction.
    """
    cancel_pending(application, actor=actor, reason=reason)
    excess = net_paid(application) - target_amount
    if excess <= 0:
        return None
    due = decision.due_date or timezone.localdate() + RECOVERY_TERM
    return schedule_payment(
        application, kind=Payment.Kind.RECOVERY, amount=excess, due_date=due, actor=actor, decision=decision
    )


# A recovery is due six weeks after its letter, the same term as an objection (Awb 6:7).
RECOVERY_TERM = datetime.timedelta(weeks=6)
