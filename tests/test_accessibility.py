"""What the pages tell assistive technology (WCAG 2.1 AA), read from the HTML the server sends.

axe-core runs in the browser tests; these check what it cannot see on one page state, or what
a page holds only after a refused form.
"""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory, FunderFactory, ReviewFactory, SchemeFactory, staff
from workflow.states import ReviewStatus, Role

pytestmark = pytest.mark.django_db


class Elements(HTMLParser):
    """Every start tag's attributes, in document order."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(response) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(response.content.decode())
    return parser.tags


def by_id(tags, id_) -> tuple[str, dict]:
    return next((tag, attrs) for tag, attrs in tags if attrs.get("id") == id_)


@pytest.fixture
def submitted():
    funder = FunderFactory()
    application = ApplicationFactory(scheme=SchemeFactory(funder=funder), submitted=True)
    return application, staff(funder, Role.OFFICER)


def test_every_form_on_the_workbench_application_page_labels_its_own_fields(client, submitted):
    """Declaring ineligible and extending the term both ask for reasons: each label its own box."""
    application, officer = submitted
    client.force_login(officer)
    tags = elements(client.get(reverse("workbench:application", args=[application.pk])))
    ids = Counter(attrs["id"] for _, attrs in tags if "id" in attrs)
    assert [id_ for id_, n in ids.items() if n > 1] == []
    reasons = [attrs["id"] for tag, attrs in tags if tag == "textarea" and attrs.get("name") == "reasons"]
    labelled = {attrs["for"] for tag, attrs in tags if tag == "label" and "for" in attrs}
    assert len(reasons) == 2
    assert set(reasons) <= labelled


def test_a_refused_workbench_form_marks_its_own_field_and_ties_the_error_to_it(client, submitted):
    application, officer = submitted
    client.force_login(officer)
    response = client.post(reverse("workbench:application_action", args=[application.pk, "ineligible"]), {})
    assert response.status_code == 422
    tags = elements(response)
    invalid = [attrs for tag, attrs in tags if attrs.get("aria-invalid") == "true"]
    assert [attrs["id"] for attrs in invalid] == ["id_ineligible_reasons"]
    assert by_id(tags, invalid[0]["aria-describedby"])  # the error message it points to is on the page
    assert re.search(r'id="id_ineligible_reasons_error"[^>]*>\s*<p>', response.content.decode())


def page_title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_a_form_about_one_application_names_it_in_the_page_title(client, submitted):
    """Two tabs 'Extend the decision term' for two applications read apart (WCAG 2.4.2)."""
    application, officer = submitted
    other = ApplicationFactory(scheme=application.scheme, submitted=True)
    client.force_login(officer)
    titles = [
        page_title(client.get(reverse("deadlines:application_action", args=[each.pk, "extend-term"])))
        for each in (application, other)
    ]
    assert application.reference in titles[0]
    assert other.reference in titles[1]


def test_a_review_submitted_incomplete_says_why_in_an_alert_inside_the_form(client):
    """The refusal sits by the score form, far down the page: as an alert, the page takes the focus
    there (static/js/form-errors.js) and a screen reader reads it; a bare list said nothing."""
    funder = FunderFactory()
    application = ApplicationFactory(scheme=SchemeFactory(funder=funder, min_reviews=1), in_review=True)
    reviewer = staff(funder, Role.REVIEWER)
    review = ReviewFactory(
        application=application,
        reviewer=reviewer,
        assigned_by=staff(funder, Role.OFFICER),
        status=ReviewStatus.NO_CONFLICT,
    )
    client.force_login(reviewer)
    criterion = application.scheme.criteria.first()
    response = client.post(
        reverse("workbench:review_action", args=[review.pk, "scores"]), {f"criterion_{criterion.pk}": 7, "submit": "1"}
    )
    assert response.status_code == 422
    form = response.content.decode().split('action="' + reverse("workbench:review_action", args=[review.pk, "scores"]))[
        1
    ]
    alert = re.search(r'role="alert">(.*?)</div>', form.split("</form>")[0], re.S)
    assert alert
    assert "errorlist" in alert.group(1)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_budget_bars_parts_stand_out_from_what_touches_them():
    """WCAG 1.4.11: the reserved part was light blue on light grey (1.3:1). It touches the grey remainder
    and, through its white gap, the awarded part; the bar's outline touches the white page."""
    from django.conf import settings

    css = (settings.BASE_DIR / "static/css/workbench.css").read_text()

    def rule(selector, prop):
        return re.search(re.escape(selector) + r"\s*\{[^}]*?\b" + prop + r":\s*(#[0-9a-f]{6})", css).group(1)

    reserved, remaining = rule(".wb-bar__reserved", "fill"), rule(".wb-bar__track", "fill")
    awarded, gap, outline = rule(".wb-bar__awarded", "fill"), rule(".wb-bar__reserved", "stroke"), "#ffffff"
    assert contrast(reserved, remaining) >= 3
    assert contrast(reserved, gap) >= 3
    assert contrast(awarded, gap) >= 3
    assert contrast(rule(".wb-bar__track", "stroke"), outline) >= 3
    assert rule(".wb-swatch--reserved", "background") == reserved
