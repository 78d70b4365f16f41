"""`manage.py seed_demo`: a realistic data set, every lifecycle state, idempotent."""

import io
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone

from documents.models import Letter
from finance.models import Payment, PayoutBatch
from grants.demo import data
from grants.models import (
    Application,
    AuditEvent,
    CoFundingPledge,
    Decision,
    Funder,
    FunderRole,
    Organisation,
    Review,
    Scheme,
    User,
)
from workflow.actions.ranking import ranking_round_decide, ranking_round_prepare
from workflow.states import ApplicationStatus, DecisionStatus, PaymentStatus, PledgeStatus, ReviewStatus, Role

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", exclude=["sessions", "contenttypes", "auth.permission"], indent=1, stdout=out)
    return out.getvalue()


def seed(django_capture_on_commit_callbacks) -> tuple[str, list]:
    """Run seed_demo as a person would: side effects run once each transaction commits."""
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("seed_demo", stdout=out)
    return out.getvalue(), callbacks


def test_seed_demo_builds_a_realistic_data_set_and_a_second_run_changes_nothing(
    django_capture_on_commit_callbacks,
):
    """One test, two runs: seeding takes seconds, so the checks share the first run."""
    output, _callbacks = seed(django_capture_on_commit_callbacks)
    check_every_lifecycle_state_is_reached_through_the_workflow(output)
    check_reviews_and_pledges_in_every_state()
    check_money_moves_through_finance()
    check_final_reports_are_written_and_settled_through_the_money_page()
    check_the_programmes_are_modelled_on_real_ones()
    check_one_account_per_role_per_funder_with_the_demo_password(output)

    counts, before = row_counts(), dump()
    output, callbacks = seed(django_capture_on_commit_callbacks)
    assert row_counts() == counts
    assert dump() == before
    assert callbacks == []  # nothing enqueued: no letter or e-mail goes out again
    assert f"0 built through the workflow, {len(data.APPLICATIONS)} already there" in output

    check_the_closed_ranking_round_can_be_ranked_and_decided(django_capture_on_commit_callbacks)
    check_a_failed_letter_is_not_hidden()


def check_a_failed_letter_is_not_hidden():
    letter = Letter.objects.order_by("pk").first()
    Letter.objects.filter(pk=letter.pk).update(status="failed", failure_reason="WeasyPrint: no fonts")
    errors = io.StringIO()
    with pytest.raises(CommandError, match="1 letters failed to render"):
        call_command("seed_demo", stdout=io.StringIO(), stderr=errors)
    assert "WeasyPrint: no fonts" in errors.getvalue()


def check_the_closed_ranking_round_can_be_ranked_and_decided(django_capture_on_commit_callbacks):
    owp = Scheme.objects.get(reference_prefix="OWP26")
    officer = User.objects.get(email="officer@onderwijswerkplaats-limburg.demo")
    decider = User.objects.get(email="decider@onderwijswerkplaats-limburg.demo")
    waiting = Application.objects.filter(scheme=owp, status=ApplicationStatus.COFUNDING_CHECK).count()
    assert waiting >= 4
    # Letters of the round are queued; rendering them is the letters' tests' business (and slow).
    with django_capture_on_commit_callbacks(execute=False):
        ranking_round = ranking_round_prepare(scheme=owp, actor=officer)
        ranking_round_decide(ranking_round=ranking_round, actor=decider)
    assert Application.objects.filter(scheme=owp, status=ApplicationStatus.AWARDED).count() == waiting


def check_every_lifecycle_state_is_reached_through_the_workflow(seeded):
    states = Counter(Application.objects.values_list("status", flat=True))
    assert set(states) == set(ApplicationStatus.values), set(ApplicationStatus.values) - set(states)
    # Reached through actions: every application beyond draft has a 'submit' audit event by its team.
    for application in Application.objects.exclude(status=ApplicationStatus.DRAFT):
        submit = AuditEvent.objects.get(
            subject_type=ContentType.objects.get_for_model(Application), subject_id=application.pk, action="submit"
        )
        assert application.team.memberships.filter(user=submit.actor).exists()
    # Decisions were taken by a decider other than the officer who prepared them (four eyes) ...
    awards = Decision.objects.filter(kind="award", status=DecisionStatus.TAKEN)
    assert awards.exists()
    for decision in awards:
        assert decision.decided_by != decision.prepared_by
        assert FunderRole.objects.filter(
            user=decision.decided_by, funder=decision.application.scheme.funder, role=Role.DECIDER
        ).exists()
    # ... and every decision that was taken got its letter.
    taken = Decision.objects.filter(status=DecisionStatus.TAKEN)
    assert taken.count() >= 15
    assert not taken.filter(letters__isnull=True).exists()
    assert "objection" in seeded
    assert "Demo accounts" in seeded


def check_reviews_and_pledges_in_every_state():
    assert set(Review.objects.values_list("status", flat=True)) == set(ReviewStatus.values)
    assert set(CoFundingPledge.objects.values_list("status", flat=True)) == set(PledgeStatus.values)
    submitted = Review.objects.filter(status=ReviewStatus.SUBMITTED)
    assert all(review.weighted_score is not None and review.scores.exists() for review in submitted)
    conflicts = Review.objects.filter(status=ReviewStatus.CONFLICT_DECLARED)
    assert all(review.conflict_reason for review in conflicts)


def check_final_reports_are_written_and_settled_through_the_money_page():
    """A final report in or a grant settled: the report has its actual costs, and a settlement was assessed on it."""
    from grants.models import Report

    done = Application.objects.filter(
        status__in=[ApplicationStatus.FINAL_REPORT_SUBMITTED, ApplicationStatus.SETTLED, ApplicationStatus.CLOSED]
    )
    assert done.exists()
    for application in done:
        report = application.reports.get(kind=Report.Kind.FINAL)
        assert report.status in ("submitted", "accepted"), application.reference
        assert report.cost_lines.count() == application.budget_lines.count()
        assert report.results
        if application.status != ApplicationStatus.FINAL_REPORT_SUBMITTED:
            assert report.status == "accepted"
            assert all(line.eligible_amount is not None for line in report.cost_lines.all())


def check_money_moves_through_finance():
    """Advances approved by finance (four eyes), one batch paid by the bank, one exported."""
    statuses = set(Payment.objects.values_list("status", flat=True))
    assert {PaymentStatus.SCHEDULED, PaymentStatus.APPROVED, PaymentStatus.EXPORTED, PaymentStatus.PAID} <= statuses
    for payment in Payment.objects.exclude(approved_by=None):
        assert payment.approved_by != payment.prepared_by
    assert set(PayoutBatch.objects.values_list("status", flat=True)) == {"exported", "processed"}
    assert all(batch.sepa_sha256 for batch in PayoutBatch.objects.all())


def check_the_programmes_are_modelled_on_real_ones():
    oif = Scheme.objects.get(reference_prefix="OIF")
    assert str(oif.budget_ceiling) == "194950.00"
    assert str(oif.cofunding_ratio) == "1.00"
    assert oif.allocation_method == "first_come"
    assert oif.tracks == ["co-creatie", "samenwerking op leergebied", "helikopterview"]
    pilot = Organisation.objects.filter(kind="school", teams__applications__scheme=oif).distinct()
    assert pilot.count() == 8
    assert {s.school_type for s in pilot} == {"bo"}

    owp = Scheme.objects.get(reference_prefix="OWP26")
    assert owp.allocation_method == "ranking"
    assert owp.max_extension_months > 0
    assert not owp.is_open()
    assert owp.closes_on < timezone.localdate()
    assert owp.budget_ceiling / owp.max_per_application == 40

    i2g = Scheme.objects.get(reference_prefix="I2G")
    assert sorted(i2g.eligible_school_types) == ["pro", "sbo", "so", "vso"]
    assert (
        Organisation.objects.filter(kind="partner", name__startswith="Cultuurnetwerk").exclude(region="").count() == 4
    )
    assert Organisation.objects.filter(kind="cultural_provider").count() >= 8

    for funder in Funder.objects.all():
        funder.full_clean()  # valid IBAN, e-mail, website
        signatory = funder.signatories.get()
        assert signatory.mandate_line.startswith("namens")
        assert FunderRole.objects.filter(user=signatory.user, funder=funder, role=Role.DECIDER).exists()
    for organisation in Organisation.objects.all():
        organisation.full_clean()  # BRIN codes and IBANs well-formed
    for scheme in Scheme.objects.all():
        scheme.full_clean()
        assert scheme.criteria.count() >= 4


def check_one_account_per_role_per_funder_with_the_demo_password(seeded):
    expected = {Role.OFFICER: 1, Role.REVIEWER: 3, Role.DECIDER: 1, Role.FINANCE: 1, Role.ADMIN: 1}
    assert Funder.objects.count() == 4
    for funder in Funder.objects.all():
        roles = Counter(FunderRole.objects.filter(funder=funder).values_list("role", flat=True))
        assert roles == expected, funder
    assert User.objects.get(email=data.SUPERUSER_EMAIL).is_superuser
    officer = User.objects.get(email="officer@onderwijsfonds-shertogenbosch.demo")
    assert officer.funder_roles.get().role == Role.OFFICER
    for user in User.objects.all():
        assert user.check_password(data.PASSWORD), user.email
        assert user.email.endswith(".demo"), user.email
    # The table printed at the end lists every account.
    for user in User.objects.all():
        assert user.email in seeded
