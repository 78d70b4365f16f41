"""The budget ceiling holds when thirty deciders award at the same moment (PostgreSQL row locks)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import translation

from grants.models import Application, Decision, User
from grants.selectors import committed_amount
from tests.factories import ApplicationFactory, DecisionFactory, SchemeFactory, staff
from workflow.actions import decision_take
from workflow.exceptions import ActionRefused
from workflow.states import ApplicationStatus, DecisionStatus, Role

THREADS = 30
AMOUNT = Decimal("10000.00")
FITS = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_awards_never_overrun_the_ceiling():
    if connection.vendor != "postgresql":
        pytest.fail(
            "The ceiling concurrency test needs PostgreSQL (SELECT ... FOR UPDATE); "
            f"DATABASE_URL points at {connection.vendor}. Set DATABASE_URL=postgres://..."
        )
    scheme = SchemeFactory(budget_ceiling=AMOUNT * FITS, max_per_application=AMOUNT)
    decisions = [
        DecisionFactory(application=ApplicationFactory(cofunding_check=True, scheme=scheme, amount=AMOUNT))
        for _ in range(THREADS)
    ]
    decider_ids = [staff(scheme.funder, Role.DECIDER).pk for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS, timeout=30)
    outcomes: list = [None] * THREADS

    def decide(index: int) -> None:
        translation.activate("en")  # the active language is per thread
        try:
            decider = User.objects.get(pk=decider_ids[index])
            decision = Decision.objects.get(pk=decisions[index].pk)
            barrier.wait()
            decision_take(decision=decision, actor=decider)
            outcomes[index] = "awarded"
        except ActionRefused as refused:
            outcomes[index] = refused.messages
        except Exception as error:  # reported below, never swallowed
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException) or outcome is None]
    assert not errors, errors
    awarded = [outcome for outcome in outcomes if outcome == "awarded"]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, list)]
    assert len(awarded) == FITS
    assert len(refusals) == THREADS - FITS
    for messages in refusals:
        assert len(messages) == 1
        assert messages[0].startswith("The budget ceiling of €100,000.00 would be exceeded"), messages

    applications = Application.objects.filter(scheme=scheme)
    assert applications.filter(status=ApplicationStatus.AWARDED).count() == FITS
    assert applications.filter(status=ApplicationStatus.COFUNDING_CHECK).count() == THREADS - FITS
    assert committed_amount(scheme) == scheme.budget_ceiling
    assert Decision.objects.filter(application__scheme=scheme, status=DecisionStatus.TAKEN).count() == FITS
