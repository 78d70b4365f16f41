"""Workbench page times at 200 and at 20,000 applications, on PostgreSQL.

    DATABASE_URL=postgres://... uv run python bench/workbench.py [--runs 15]

Seeds two funders (bulk_create; a few seconds), one with 200 applications and one with
20,000, runs VACUUM ANALYZE as autovacuum would in production, measures the server time
of the dashboard and the queue (Django's test Client, the median of N runs after one
warm-up run; "dashboard, cold" clears the cache before every run, so the funder-wide
figures are recomputed each time, as they are after every change of state) for an
officer of each, prints both and their ratio, and deletes what it seeded.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from grants.models import (  # noqa: E402
    Application,
    CoFundingPledge,
    Funder,
    FunderRole,
    Organisation,
    Scheme,
    Team,
    TeamMembership,
    User,
)
from workflow.states import ApplicationStatus, Role  # noqa: E402
from workflow.workbench.views.dashboard import figures_key  # noqa: E402

S = ApplicationStatus
# A funder's realistic mix: most applications decided long ago, a working set in progress.
MIX = [
    (S.SUBMITTED, 6),
    (S.INFO_REQUESTED, 2),
    (S.IN_REVIEW, 6),
    (S.REVIEWED, 3),
    (S.COFUNDING_CHECK, 3),
    (S.AWARDED, 10),
    (S.ACTIVE, 20),
    (S.REJECTED, 20),
    (S.SETTLED, 10),
    (S.CLOSED, 15),
    (S.WITHDRAWN, 5),
]
STATUSES = [status for status, weight in MIX for _ in range(weight)]
REGIONS = ["Noord-Brabant", "Gelderland", "Utrecht", "Zuid-Holland", "Limburg"]


def cleanup(funder) -> None:
    """Delete one seeded funder and everything seeded with it."""
    with transaction.atomic():
        applications = Application.objects.filter(scheme__funder=funder)
        team_ids = list(applications.values_list("team_id", flat=True).distinct())
        CoFundingPledge.objects.filter(application__in=applications).delete()
        Application.schools.through.objects.filter(application__in=applications).delete()
        applications.delete()
        contact_ids = list(Team.objects.filter(pk__in=team_ids).values_list("contact_id", flat=True))
        Team.objects.filter(pk__in=team_ids).delete()
        officers = list(funder.staff_roles.values_list("user_id", flat=True))
        Scheme.objects.filter(funder=funder).delete()
        funder.delete()
        User.objects.filter(pk__in=[*contact_ids, *officers]).delete()
        Organisation.objects.filter(name__endswith=f" {funder.slug}", kind=Organisation.Kind.SCHOOL).delete()
        Organisation.objects.filter(name__endswith=f" {funder.slug}").delete()


def seed(label: str, count: int, run: str):
    funder = Funder.objects.create(
        name=f"Bench {label} {run}",
        slug=f"bench-{label}-{run}",
        kind=Funder.Kind.PROVINCE,
        governing_body="gedeputeerde staten",
        street_address="Plein 1",
        postal_code="1000 AA",
        city="Bench",
        email="bench@example.nl",
        iban="NL91ABNA0417164300",
        account_holder="Bench",
        objection_address="Postbus 1",
    )
    officer = User.objects.create_user(email=f"officer-{label}-{run}@bench.example", password="x")
    FunderRole.objects.create(user=officer, funder=funder, role=Role.OFFICER)
    today = timezone.localdate()
    schemes = [
        Scheme.objects.create(
            funder=funder,
            name=f"Regeling {label} {year}",
            slug=f"regeling-{year}",
            reference_prefix=f"B{label[0].upper()}{run[-4:]}{year % 100}",
            legal_basis="Bench",
            opens_on=datetime.date(year, 1, 1),
            closes_on=datetime.date(year, 12, 31),
            budget_ceiling=Decimal("50000000.00"),
            max_per_application=Decimal("25000.00"),
            cofunding_ratio=Decimal("1.00"),
            tracks=["co-creatie", "helikopterview"],
        )
        for year in (2023, 2024, 2025, 2026)
    ]
    contacts = User.objects.bulk_create([User(email=f"team-{label}-{run}-{n}@bench.example") for n in range(50)])
    teams = Team.objects.bulk_create([Team(name=f"Team {label} {n}", contact=contacts[n % 50]) for n in range(200)])
    TeamMembership.objects.bulk_create([TeamMembership(team=t, user=t.contact) for t in teams])
    boards = Organisation.objects.bulk_create(
        [Organisation(name=f"Bestuur {n} {funder.slug}", kind=Organisation.Kind.SCHOOL_BOARD) for n in range(20)]
    )
    schools = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"School {n} {funder.slug}",
                kind=Organisation.Kind.SCHOOL,
                school_type="bo",
                board=boards[n % 20],
                region=REGIONS[n % len(REGIONS)],
            )
            for n in range(100)
        ]
    )
    now = timezone.now()
    rows = []
    for n in range(count):
        status = STATUSES[n % len(STATUSES)]
        committed = status in (S.AWARDED, S.ACTIVE, S.SETTLED, S.CLOSED)
        team = teams[n % len(teams)]
        rows.append(
            Application(
                scheme=schemes[n % len(schemes)],
                team=team,
                created_by=team.contact,
                reference=f"{schemes[n % len(schemes)].reference_prefix}-{n:06d}",
                status=status,
                title=f"Onderzoekend leren {n}",
                track="co-creatie",
                requested_amount=Decimal("10000.00"),
                awarded_amount=Decimal("10000.00") if committed else None,
                submitted_at=now,
                decision_due_date=today + datetime.timedelta(days=(n % 120) - 30),
            )
        )
    applications = Application.objects.bulk_create(rows, batch_size=5000)
    Application.schools.through.objects.bulk_create(
        [
            Application.schools.through(application_id=a.pk, organisation_id=schools[i % 100].pk)
            for i, a in enumerate(applications)
        ],
        batch_size=5000,
    )
    CoFundingPledge.objects.bulk_create(
        [
            CoFundingPledge(application=a, cofunder=boards[i % 20], amount=Decimal("10000.00"), status="confirmed")
            for i, a in enumerate(applications)
            if a.awarded_amount
        ],
        batch_size=5000,
    )
    return funder, officer


def measure(client, url, runs: int, cold_for=None) -> float:
    """Median server time of `url`; with `cold_for` (a funder) its dashboard figures are dropped before
    each run (one key: the cache may be the broker's Redis, which must not be cleared)."""
    client.get(url)  # warm-up: templates, translations, connection
    times = []
    for _ in range(runs):
        if cold_for is not None:  # the dashboard's figures recomputed, as after every change of state
            scheme_ids = list(cold_for.schemes.order_by("-opens_on", "name").values_list("pk", flat=True))
            cache.delete(figures_key(cold_for, scheme_ids))
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--large", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=200)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    setup_test_environment()
    settings.DEBUG = False
    run = str(int(time.time()))
    results = {}
    start = time.perf_counter()
    with transaction.atomic():
        small = seed("small", args.small, run)
        large = seed("large", args.large, run)
    print(f"seeded {args.small} + {args.large} applications in {time.perf_counter() - start:.1f} s")
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        for label, (funder, officer) in (("small", small), ("large", large)):
            client = Client()
            client.force_login(officer)
            for page in ("dashboard", "queue"):
                url = f"{reverse('workbench:' + page)}?funder={funder.slug}"
                results[(page, label)] = measure(client, url, args.runs)
            url = f"{reverse('workbench:dashboard')}?funder={funder.slug}"
            results[("dashboard, cold", label)] = measure(client, url, args.runs, cold_for=funder)
            url = f"{reverse('workbench:queue')}?funder={funder.slug}&q=leren+1&region=Utrecht"
            results[("queue, filtered", label)] = measure(client, url, args.runs)
            # What an officer types most: a reference (kenmerk), which the trigram index finds directly.
            reference = Application.objects.filter(scheme__funder=funder).order_by("pk").values_list("reference")[123]
            url = f"{reverse('workbench:queue')}?funder={funder.slug}&q={reference[0]}"
            results[("queue, reference", label)] = measure(client, url, args.runs)
    finally:
        for funder, _officer in (small, large):
            cleanup(funder)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"{'page':<18}{args.small:>10}{args.large:>10}{'ratio':>8}   (median ms of {args.runs} runs)")
    for page in ("dashboard", "dashboard, cold", "queue", "queue, filtered", "queue, reference"):
        a, b = results[(page, "small")], results[(page, "large")]
        print(f"{page:<18}{a:>10.1f}{b:>10.1f}{b / a:>8.2f}")


if __name__ == "__main__":
    main()
