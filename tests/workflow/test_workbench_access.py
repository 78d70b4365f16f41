"""Authorization matrix: every workbench URL, every role, real object ids.

Allowed means the page or action is reached (200, a redirect back to the page, or 422
for a form the action refused); denied means 403 for a role of the same funder
without the right, 404 for anyone with no staff role at the object's funder (its
existence does not leak), and the sign-in page for anonymous visitors.
"""

import pytest
from django.urls import reverse

from workflow.states import Role

from .workbench_world import build_world

pytestmark = pytest.mark.django_db

OFF, R, D, F, A = Role.OFFICER, Role.REVIEWER, Role.DECIDER, Role.FINANCE, Role.ADMIN
STAFF = {OFF, D, F, A}
EVERYONE = [OFF, R, D, F, A, "team", "plain", "other_officer", "anonymous"]


def urls(world):
    f = f"?funder={world.funder.slug}"
    app = world.submitted.pk
    return [
        # (name, method, url, data, roles allowed)
        ("dashboard", "get", reverse("workbench:dashboard") + f, {}, STAFF),
        ("queue", "get", reverse("workbench:queue") + f, {}, STAFF),
        ("audit", "get", reverse("workbench:audit") + f, {}, STAFF),
        ("audit_export", "get", reverse("workbench:audit_export") + f, {}, STAFF),
        ("application", "get", reverse("workbench:application", args=[app]), {}, STAFF),
        ("application_cofunding", "get", reverse("workbench:application", args=[world.cofunding.pk]), {}, STAFF),
        ("ranking", "get", reverse("workbench:ranking", args=[world.ranking_scheme.pk]), {}, STAFF),
        ("review_inbox", "get", reverse("workbench:review_inbox"), {}, {R}),
        ("review", "get", reverse("workbench:review", args=[world.review.pk]), {}, {R}),
        *[
            (f"action_{action}", "post", reverse("workbench:application_action", args=[app, action]), data, {OFF})
            for action, data in [
                ("eligibility", {}),
                ("request_info", {"message": ""}),
                ("ineligible", {"reasons": ""}),
                ("assign", {}),
                ("start_review", {}),
                ("extend_term", {}),
            ]
        ],
        (
            "action_complete_review",
            "post",
            reverse("workbench:application_action", args=[world.in_review.pk, "complete_review"]),
            {},
            {OFF},
        ),
        (
            "action_confirm_pledge",
            "post",
            reverse("workbench:application_action", args=[world.cofunding.pk, "confirm_pledge"]),
            {"pledge": world.cofunding.pledges.first().pk},
            {OFF},
        ),
        (
            "action_prepare_decision",
            "post",
            reverse("workbench:application_action", args=[world.cofunding.pk, "prepare_decision"]),
            {},
            {OFF},
        ),
        (
            "action_take_decision",
            "post",
            reverse("workbench:application_action", args=[world.cofunding.pk, "take_decision"]),
            {"decision": world.decision.pk},
            {D},
        ),
        ("bulk", "post", reverse("workbench:bulk"), {"funder": world.funder.slug}, {OFF}),
        ("ranking_prepare", "post", reverse("workbench:ranking_prepare", args=[world.ranking_scheme.pk]), {}, {OFF}),
        (
            "ranking_decide",
            "post",
            reverse("workbench:ranking_decide", args=[world.ranking_scheme.pk, world.ranking_round.pk]),
            {},
            {D},
        ),
        *[
            (f"review_{action}", "post", reverse("workbench:review_action", args=[world.review.pk, action]), data, {R})
            for action, data in [("no_conflict", {}), ("conflict", {"reason": ""}), ("scores", {})]
        ],
    ]


def outcome(response) -> str:
    if response.status_code == 302 and "login" in response["Location"]:
        return "login"
    if response.status_code in (403, 404):
        return str(response.status_code)
    assert response.status_code in (200, 302, 422), response.status_code
    return "allowed"


LIST_PAGES = {"dashboard", "queue", "audit", "audit_export", "bulk"}


def expectation(who, name, allowed) -> str:
    if who == "anonymous":
        return "login"
    if who in allowed:
        return "allowed"
    if name in LIST_PAGES:
        if who == R and name == "dashboard":
            return "allowed"  # a reviewer without staff roles is sent on to the inbox
        if who == "other_officer":
            return "404"  # asked for a funder they do not work for
        return "403"  # same funder without the role, or no staff role anywhere
    if name == "review_inbox":
        return "403"
    if name.startswith("review"):
        return "404"  # someone else's review
    return "403" if who in STAFF else "404"


@pytest.fixture
def world():
    return build_world()


def test_every_workbench_url_for_every_role(client, world):
    failures = []
    for who in EVERYONE:
        user = world.users[who]
        client.logout()
        if user is not None:
            client.force_login(user)
        for name, method, url, data, allowed in urls(world):
            response = getattr(client, method)(url, data) if method == "post" else client.get(url)
            got = outcome(response)
            expected = {expectation(who, name, allowed)}
            if got not in expected:
                failures.append(f"{who:>14} {name:<26} expected {expected} got {got}")
    assert not failures, "\n".join(failures)


def test_reviewer_is_sent_from_the_dashboard_to_the_inbox(client, world):
    client.force_login(world.users[R])
    response = client.get(reverse("workbench:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:review_inbox")


def test_staff_of_another_funder_never_see_its_applications(client, world):
    client.force_login(world.users["other_officer"])
    response = client.get(reverse("workbench:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.submitted.reference not in body
    assert world.funder.name not in body
    response = client.get(reverse("workbench:queue"), {"q": world.submitted.reference})
    assert world.submitted.title not in response.content.decode()
    assert response.context["page"].paginator.count == 0


def test_malformed_ids_are_404_not_500(client, world):
    client.force_login(world.users[D])
    url = reverse("workbench:application_action", args=[world.cofunding.pk, "take_decision"])
    assert client.post(url, {"decision": ""}).status_code == 404
    assert client.post(url, {"decision": "abc"}).status_code == 404
    assert client.post(url, {"decision": "²"}).status_code == 404  # str.isdigit() says yes, int() no
    assert client.post(url, {"decision": "١٢"}).status_code == 404  # Arabic-Indic digits
    client.force_login(world.users[OFF])
    url = reverse("workbench:application_action", args=[world.cofunding.pk, "confirm_pledge"])
    assert client.post(url, {"pledge": "1; drop"}).status_code == 404
    assert client.get(reverse("workbench:queue"), {"page": "x", "scheme": "abc", "status": "nope"}).status_code == 200
    assert client.get(reverse("workbench:audit"), {"date_from": "gisteren"}).status_code == 200


def test_staff_of_two_funders_pick_one_and_see_only_its_applications(client, world):
    from grants.models import FunderRole
    from tests.factories import ApplicationFactory, SchemeFactory

    both = world.users[OFF]
    FunderRole.objects.create(user=both, funder=world.other_funder, role=Role.OFFICER)
    elsewhere = ApplicationFactory(scheme=SchemeFactory(funder=world.other_funder), submitted=True)
    client.force_login(both)
    here = client.get(reverse("workbench:queue"), {"funder": world.funder.slug}).content.decode()
    there = client.get(reverse("workbench:queue"), {"funder": world.other_funder.slug}).content.decode()
    assert world.submitted.title in here
    assert elsewhere.title not in here
    assert elsewhere.title in there
    assert world.submitted.title not in there
    assert 'name="funder"' in there  # the picker
