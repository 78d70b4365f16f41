"""The dashboard and the queue run the same number of queries for 20 and for 500 applications."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, CoFundingPledge, Organisation
from tests.factories import ApplicationFactory, FunderFactory, SchemeFactory, staff
from workflow.states import ApplicationStatus, Role

pytestmark = pytest.mark.django_db

STATES = ["submitted", "info_requested", "in_review", "reviewed", "cofunding_check", "awarded", "rejected"]


def grow_to(scheme, template, total):
    """Copy `template` with bulk_create until the scheme has `total` applications (fast)."""
    have = Application.objects.filter(scheme=scheme).count()
    today = timezone.localdate()
    rows = []
    for n in range(have, total):
        rows.append(
            Application(
                scheme=scheme,
                team=template.team,
                created_by=template.created_by,
                reference=f"{scheme.reference_prefix}-Q-{n:05d}",
                status=STATES[n % len(STATES)],
                title=f"Aanvraag {n}",
                requested_amount=Decimal("1000.00"),
                awarded_amount=Decimal("1000.00") if STATES[n % len(STATES)] == "awarded" else None,
                submitted_at=timezone.now(),
                decision_due_date=today + datetime.timedelta(days=n % 90 - 20),
            )
        )
    created = Application.objects.bulk_create(rows)
    school = template.schools.first()
    Application.schools.through.objects.bulk_create(
        [Application.schools.through(application_id=a.pk, organisation_id=school.pk) for a in created]
    )


def count_queries(client, url, params):
    cache.clear()  # measure the cold path: the dashboard's figures computed, not cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("page", ["workbench:dashboard", "workbench:queue"])
def test_query_count_does_not_grow_with_applications(client, page):
    funder = FunderFactory()
    scheme = SchemeFactory(funder=funder)
    SchemeFactory(funder=funder)
    officer = staff(funder, Role.OFFICER)
    template = ApplicationFactory(scheme=scheme, submitted=True)
    Organisation.objects.filter(pk=template.schools.first().pk).update(region="Noord-Brabant")
    client.force_login(officer)
    url = reverse(page)
    filters = {"funder": funder.slug, "school_type": "bo", "region": "Noord-Brabant", "q": "Aanvraag"}

    grow_to(scheme, template, 20)
    small, response = count_queries(client, url, {"funder": funder.slug})
    small_filtered, _ = count_queries(client, url, filters)
    assert len(response.context["page"].object_list) > 0

    grow_to(scheme, template, 500)
    large, response = count_queries(client, url, {"funder": funder.slug})
    large_filtered, _ = count_queries(client, url, filters)
    assert response.context["page"].paginator.count > 100
    assert small == large
    assert small_filtered == large_filtered
    assert large <= 20


def test_queue_is_sorted_by_days_left_and_overdue_is_said_in_words(client):
    funder = FunderFactory()
    officer = staff(funder, Role.OFFICER)
    scheme = SchemeFactory(funder=funder)
    late = ApplicationFactory(scheme=scheme, submitted=True)
    soon = ApplicationFactory(scheme=scheme, in_review=True)
    today = timezone.localdate()
    Application.objects.filter(pk=late.pk).update(decision_due_date=today - datetime.timedelta(days=3))
    Application.objects.filter(pk=soon.pk).update(decision_due_date=today + datetime.timedelta(days=2))
    ApplicationFactory(scheme=scheme, awarded=True)  # decided: not in the queue
    client.force_login(officer)
    response = client.get(reverse("workbench:dashboard"))
    rows = list(response.context["page"].object_list)
    assert [a.pk for a in rows] == [late.pk, soon.pk]
    body = response.content.decode()
    assert "Te laat" in body or "Overdue" in body
    assert ApplicationStatus.AWARDED.label not in [str(a.get_status_display()) for a in rows]


def test_budget_use_counts_awarded_reserved_and_remaining(client):
    from tests.factories import DecisionFactory

    funder = FunderFactory()
    officer = staff(funder, Role.OFFICER)
    scheme = SchemeFactory(funder=funder, budget_ceiling=Decimal("100000.00"))
    ApplicationFactory(scheme=scheme, awarded=True, amount=Decimal("20000.00"))
    ApplicationFactory(scheme=scheme, in_review=True, amount=Decimal("15000.00"))
    prepared = ApplicationFactory(scheme=scheme, cofunding_check=True, amount=Decimal("10000.00"))
    DecisionFactory(application=prepared, amount=Decimal("7000.00"))  # a lower award, prepared
    ApplicationFactory(scheme=scheme, submitted=True, amount=Decimal("5000.00"))  # not yet reserved
    ApplicationFactory(scheme=SchemeFactory(), awarded=True)  # another funder's: not counted
    # An award under objection still counts; an objection against a rejection does not; drafts are no one's.
    objected = ApplicationFactory(scheme=scheme, objection=True, amount=Decimal("3000.00"))
    Application.objects.filter(pk=objected.pk).update(
        awarded_amount=Decimal("3000.00"), status_before_objection="awarded"
    )
    rejected = ApplicationFactory(scheme=scheme, objection=True, amount=Decimal("4000.00"))
    Application.objects.filter(pk=rejected.pk).update(status_before_objection="rejected")
    ApplicationFactory(scheme=scheme, amount=Decimal("9000.00"))  # a draft
    CoFundingPledge.objects.filter(application__in=[objected, rejected]).delete()  # leverage as it was
    client.force_login(officer)
    response = client.get(reverse("workbench:dashboard"))
    row = next(r for r in response.context["budget"] if r["scheme"] == scheme)
    assert row["awarded"] == Decimal("23000.00")
    assert row["reserved"] == Decimal("22000.00")  # 15,000 in review + 7,000 prepared
    assert row["remaining"] == Decimal("55000.00")
    counts = {value: count for value, _label, count in response.context["counts"]}
    assert (counts["objection"], counts["awarded"], counts["in_review"], counts["submitted"]) == (2, 1, 1, 1)
    assert "draft" not in counts
    assert response.context["leverage"]["confirmed"] == Decimal("20000.00")
    assert "<svg" in response.content.decode()


def test_htmx_filter_request_returns_only_the_queue_partial(client):
    funder = FunderFactory()
    officer = staff(funder, Role.OFFICER)
    scheme = SchemeFactory(funder=funder)
    wanted = ApplicationFactory(scheme=scheme, submitted=True, title="Muziek in de klas")
    other = ApplicationFactory(scheme=scheme, submitted=True, title="Techniek voor iedereen")
    client.force_login(officer)
    response = client.get(reverse("workbench:dashboard"), {"q": "muziek"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    # The new count for the live region that stays on the page, then the queue itself.
    assert body.lstrip().startswith('<p id="queue-status" hx-swap-oob="innerHTML">')
    assert '<div id="queue">' in body
    assert wanted.title in body
    assert other.title not in body
    assert "<html" not in body


def test_dashboard_figures_follow_every_change_of_state(client):
    from workflow.actions import application_declare_ineligible

    funder = FunderFactory()
    officer = staff(funder, Role.OFFICER)
    scheme = SchemeFactory(funder=funder)
    application = ApplicationFactory(scheme=scheme, submitted=True)
    client.force_login(officer)
    counts = {value: n for value, _label, n in client.get(reverse("workbench:dashboard")).context["counts"]}
    assert counts["submitted"] == 1
    assert counts["rejected"] == 0
    application_declare_ineligible(application=application, actor=officer, reasons="Geen bo-school")
    counts = {value: n for value, _label, n in client.get(reverse("workbench:dashboard")).context["counts"]}
    assert counts["submitted"] == 0
    assert counts["rejected"] == 1


def test_search_finds_applications_by_reference_title_and_team_name(client):
    funder = FunderFactory()
    scheme = SchemeFactory(funder=funder)
    officer = staff(funder, Role.OFFICER)
    by_title = ApplicationFactory(scheme=scheme, submitted=True, title="Muziek in de klas")
    by_team = ApplicationFactory(scheme=scheme, submitted=True, title="Rekenen buiten")
    by_team.team.name = "Team Muziekschool Oost"
    by_team.team.save(update_fields=["name"])
    ApplicationFactory(scheme=scheme, submitted=True, title="Techniek")
    elsewhere = ApplicationFactory(submitted=True, title="Muziek elders")  # another funder's
    client.force_login(officer)

    def found(q):
        response = client.get(reverse("workbench:queue"), {"funder": funder.slug, "q": q})
        assert response.status_code == 200
        return {a.pk for a in response.context["page"].object_list}

    assert found("muziek") == {by_title.pk, by_team.pk}
    assert found(by_team.reference.lower()) == {by_team.pk}
    assert elsewhere.pk not in found("elders")


@pytest.mark.parametrize("page", ["workbench:queue", "workbench:dashboard"])
def test_an_unknown_filter_value_leaves_out_only_its_own_filter_and_says_so(client, page):
    """An old bookmark (another funder's scheme, a status that no longer exists) used to drop every
    filter, search included, without a word: the officer read an unfiltered list under the search."""
    funder = FunderFactory()
    scheme = SchemeFactory(funder=funder)
    other_scheme = SchemeFactory(funder=funder)
    officer = staff(funder, Role.OFFICER)
    wanted = ApplicationFactory(scheme=scheme, submitted=True, title="Wijkonderzoek met een kunstenaar")
    other = ApplicationFactory(scheme=scheme, submitted=True, title="Programmeren in groep 8")
    elsewhere = ApplicationFactory(scheme=other_scheme, submitted=True, title="Wijkonderzoek in de andere regeling")
    client.force_login(officer)
    params = {"funder": funder.slug, "q": "Wijkonderzoek", "scheme": str(scheme.pk), "status": "old_status"}
    response = client.get(reverse(page), {**params, "school_type": "999999"})
    assert {a.pk for a in response.context["page"].object_list} == {wanted.pk}  # search and scheme still apply
    assert set(response.context["filters"].errors) == {"status", "school_type"}
    body = response.content.decode()
    assert other.title not in body
    assert 'class="errorlist"' in body
    assert "old_status" in body  # the error names the value it left out
    assert "staat (niet meer) tussen de keuzes" in body
    assert "999999" in body
    response = client.get(reverse(page), {**params, "scheme": "999999", "status": ""})
    assert {a.pk for a in response.context["page"].object_list} == {wanted.pk, elsewhere.pk}
    assert list(response.context["filters"].errors) == ["scheme"]


def test_the_audit_log_applies_the_valid_filters_when_one_is_not(client):
    from grants.audit import record_event

    application = ApplicationFactory(submitted=True)
    other = ApplicationFactory(scheme=application.scheme, submitted=True)
    officer = staff(application.scheme.funder, Role.OFFICER)
    for subject in (application, other):
        record_event(subject, actor=officer, action="confirm_eligibility")
    client.force_login(officer)
    response = client.get(
        reverse("workbench:audit"),
        {"funder": application.scheme.funder.slug, "application": application.reference, "date_from": "2026-02-30"},
    )
    events = list(response.context["page"].object_list)
    assert [event.application_id for event in events] == [application.pk]  # not the other's event
    assert list(response.context["form"].errors) == ["date_from"]
    assert 'class="errorlist"' in response.content.decode()


def test_the_dashboard_works_with_the_cache_away(client, settings, caplog):
    # A Redis cache nobody listens on (port 9): every read and write fails.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    funder = FunderFactory()
    ApplicationFactory(scheme=SchemeFactory(funder=funder), awarded=True, amount=Decimal("20000.00"))
    client.force_login(staff(funder, Role.OFFICER))
    response = client.get(reverse("workbench:dashboard"))
    assert response.status_code == 200
    assert response.context["budget"][0]["awarded"] == Decimal("20000.00")
    assert "The cache is not available" in caplog.text


def test_audit_labels_cost_no_query_per_event(client):
    """The audit trail names each event's action and states by its subject's lifecycle (subject type
    joined in the same query): the application page and the audit log count the same queries for 3
    and for 40 events."""
    from grants.audit import record_event
    from tests.factories import ReviewFactory

    application = ApplicationFactory(submitted=True)
    funder = application.scheme.funder
    officer = staff(funder, Role.OFFICER)
    review = ReviewFactory(application=application, reviewer=staff(funder, Role.REVIEWER), assigned_by=officer)
    client.force_login(officer)
    pages = [
        (reverse("workbench:application", args=[application.pk]), {}),
        (reverse("workbench:audit"), {"funder": funder.slug}),
        (reverse("workbench:audit"), {"funder": funder.slug, "action": "assign_reviewer"}),
    ]

    def add_events(count):
        for n in range(count):
            subject, action = [(application, "request_info"), (review, "assign_reviewer")][n % 2]
            record_event(
                subject,
                actor=officer,
                action=action,
                from_state="submitted",
                to_state="assigned",
                application=application,
            )

    add_events(3)
    few = [count_queries(client, url, params)[0] for url, params in pages]
    add_events(37)
    many = [count_queries(client, url, params)[0] for url, params in pages]
    assert few == many
