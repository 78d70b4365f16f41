"""The editor's steps: every step saves the draft; errors keep every value typed; the amount is derived."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.apply.actions import application_save_pledges
from grants.models import AuditEvent, BudgetLine, CoFundingPledge
from tests.factories import ApplicationFactory, OrganisationFactory, force_status
from tests.factories.apply import cofunder, empty_draft
from workflow.exceptions import ActionRefused

pytestmark = pytest.mark.django_db


def step_url(application, step):
    return reverse("apply:step", args=[application.pk, step])


def budget_post(rows, initial=0):
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": str(initial), "lines-MAX_NUM_FORMS": "100"}
    for index, (category, description, amount) in enumerate(rows):
        data.update(
            {
                f"lines-{index}-category": category,
                f"lines-{index}-description": description,
                f"lines-{index}-amount": amount,
            }
        )
    return data


def test_plan_saves_the_draft_with_one_audit_event(client):
    application, member, _ = empty_draft()
    client.force_login(member)
    start = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        step_url(application, "plan"),
        {
            "title": "Samen de wijk in",
            "summary": "Leerlingen onderzoeken hun wijk.",
            "goals": "Vijf onderzoekslessen.",
            "track": "co-creatie",
            "project_start": start.isoformat(),
            "project_end": (start + datetime.timedelta(days=200)).isoformat(),
            "continue": "1",
        },
    )
    assert response.status_code == 302
    assert response.url == step_url(application, "parties")
    application.refresh_from_db()
    assert application.title == "Samen de wijk in"
    assert application.track == "co-creatie"
    events = AuditEvent.objects.filter(application=application, action="application.edited")
    assert [event.data["step"] for event in events] == ["plan"]


def test_a_track_longer_than_schemes_now_allow_is_still_saved(client):
    """A scheme saved before tracks were limited to 100 characters may offer a longer one; choosing it
    saved the plan into a 100-character column and gave every team a 500."""
    application, member, _ = empty_draft()
    long_track = "Co-creatie met een culturele partner uit de wijk, " * 3
    application.scheme.tracks = [long_track.strip()]
    application.scheme.save(update_fields=["tracks"])
    client.force_login(member)
    start = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        step_url(application, "plan"),
        {
            "title": "Samen de wijk in",
            "track": long_track.strip(),
            "project_start": start.isoformat(),
            "project_end": (start + datetime.timedelta(days=200)).isoformat(),
            "continue": "1",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.track == long_track.strip()


def test_plan_error_keeps_everything_typed(client):
    application, member, _ = empty_draft()
    client.force_login(member)
    start = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        step_url(application, "plan"),
        {
            "title": "Titel die blijft",
            "summary": "Samenvatting die blijft",
            "goals": "Doelen die blijven",
            "track": "co-creatie",
            "project_start": start.isoformat(),
            "project_end": (start - datetime.timedelta(days=1)).isoformat(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "De einddatum moet na de startdatum liggen." in page
    assert 'value="Titel die blijft"' in page
    assert "Samenvatting die blijft" in page
    assert "Doelen die blijven" in page
    assert 'value="co-creatie" selected' in page
    application.refresh_from_db()
    assert application.title == ""


@pytest.mark.parametrize(
    ("start", "end"), [("9999-06-01", "9999-07-01"), ("9999-12-01", "9999-12-31"), ("0206-09-01", "2027-06-30")]
)
def test_a_project_date_far_outside_our_years_is_a_form_error_that_keeps_the_plan(client, start, end):
    application, member, _ = empty_draft()
    client.force_login(member)
    response = client.post(
        step_url(application, "plan"), {"title": "Samen de wijk in", "project_start": start, "project_end": end}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Samen de wijk in"' in page
    assert 'max="2100-12-31"' in page  # the date picker knows the limits too
    assert "project_start" in response.context["form"].errors
    assert "Vul een datum in van het jaar 2000 tot en met 2100." in page
    application.refresh_from_db()
    assert (application.title, application.project_start) == ("", None)


def test_a_bad_amount_keeps_all_rows_and_saves_nothing(client):
    application, member, _ = empty_draft()
    client.force_login(member)
    rows = [
        ("personnel", "Ontwikkeltijd leerkrachten", "12.000,00"),
        ("materials", "Materiaal voor de lessen", "twaalf euro"),
        ("cultural_fees", "Kunstenaar in de klas", "3.500"),
    ]
    response = client.post(step_url(application, "budget"), budget_post(rows))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vul een bedrag in euro&#x27;s in, bijvoorbeeld 1.250,00." in page
    for _, description, amount in rows:
        assert f'value="{description}"' in page
        assert f'value="{amount}"' in page
    assert 'value="cultural_fees" selected' in page
    assert not BudgetLine.objects.filter(application=application).exists()

    rows[1] = ("materials", "Materiaal voor de lessen", "1.250,50")
    response = client.post(step_url(application, "budget"), budget_post(rows))
    assert response.status_code == 302
    lines = list(application.budget_lines.order_by("position"))
    assert [line.amount for line in lines] == [Decimal("12000.00"), Decimal("1250.50"), Decimal("3500.00")]
    application.refresh_from_db()
    assert application.requested_amount == Decimal("16750.50")


def test_pledges_lower_the_requested_amount(client):
    application, member, _ = empty_draft()
    BudgetLine.objects.create(application=application, category="personnel", description="Uren", amount=20000)
    board = cofunder()
    client.force_login(member)
    data = {
        "pledges-TOTAL_FORMS": "2",
        "pledges-INITIAL_FORMS": "0",
        "pledges-MAX_NUM_FORMS": "50",
        "pledges-0-cofunder": board.pk,
        "pledges-0-amount": "10.000",
        "pledges-0-contact_email": "bestuur@example.nl",
        "pledges-1-cofunder": "",
        "pledges-1-amount": "",
    }
    response = client.post(step_url(application, "cofunding"), data)
    assert response.status_code == 302
    pledge = CoFundingPledge.objects.get(application=application)
    assert pledge.amount == Decimal("10000.00")
    assert pledge.contact_email == "bestuur@example.nl"
    application.refresh_from_db()
    assert application.requested_amount == Decimal("10000.00")

    # Change it and add a second; a bad e-mail in the new row keeps both rows.
    other = cofunder("Fonds Cultuurparticipatie")
    data.update(
        {
            "pledges-INITIAL_FORMS": "1",
            "pledges-0-id": pledge.pk,
            "pledges-0-amount": "8.000,00",
            "pledges-1-cofunder": other.pk,
            "pledges-1-amount": "2000",
            "pledges-1-contact_email": "geen-adres",
        }
    )
    response = client.post(step_url(application, "cofunding"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="8.000,00"' in page
    assert 'value="geen-adres"' in page
    data["pledges-1-contact_email"] = "fonds@example.nl"
    assert client.post(step_url(application, "cofunding"), data).status_code == 302
    application.refresh_from_db()
    assert application.pledges.count() == 2
    assert application.requested_amount == Decimal("10000.00")


def test_a_submitted_application_cannot_be_edited(client):
    application = ApplicationFactory(submitted=True)
    client.force_login(application.team.contact)
    response = client.post(step_url(application, "plan"), {"title": "Later gewijzigd"}, follow=True)
    assert "Deze aanvraag kan niet meer worden gewijzigd" in response.content.decode()
    application.refresh_from_db()
    assert application.title != "Later gewijzigd"


def test_an_application_with_an_information_request_can_be_completed(client):
    application = ApplicationFactory(info_requested=True)
    client.force_login(application.team.contact)
    response = client.post(
        step_url(application, "plan"),
        {
            "title": "Aangevuld",
            "summary": application.summary,
            "goals": application.goals,
            "track": application.track,
            "project_start": application.project_start.isoformat(),
            "project_end": application.project_end.isoformat(),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "Aangevuld"


def test_parties_step_adds_a_school_by_brin_and_partners(client):
    application, member, school = empty_draft()
    provider = OrganisationFactory(kind="cultural_provider", name="Theater De Blauwe Hoed")
    from tests.factories import SchoolFactory

    other_school = SchoolFactory(brin="99ZZ")
    client.force_login(member)
    response = client.post(
        step_url(application, "parties"),
        {"schools": [school.pk], "school_brin": "99zz", "cultural_providers": [provider.pk]},
    )
    assert response.status_code == 302
    assert set(application.schools.all()) == {school, other_school}
    assert list(application.partners.all()) == [provider]
    response = client.post(step_url(application, "parties"), {"school_brin": "00XX"})
    assert "Wij kennen geen school met BRIN-code 00XX." in response.content.decode()


def test_step_navigation_shows_what_is_complete(client):
    application = ApplicationFactory()
    client.force_login(application.team.contact)
    page = client.get(step_url(application, "budget")).content.decode()
    assert page.count("(compleet)") == 4  # plan, schools, budget, co-funding; no attachment yet
    assert 'aria-current="step"' in page


def test_summary_shows_the_guards_reasons_and_submit_refuses(client):
    application, member, _ = empty_draft()
    client.force_login(member)
    page = client.get(reverse("apply:summary", args=[application.pk])).content.decode()
    assert "Voeg minstens één deelnemende school toe." in page or "deelnemende school" in page
    response = client.post(reverse("apply:submit", args=[application.pk]), follow=True)
    assert "deelnemende school" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft"


def test_pledges_above_the_budget_get_one_clear_reason_not_a_negative_amount(client):
    application = ApplicationFactory()  # complete: budget lines and pledges; requested = budget - pledged
    total = application.budget_total()
    pledge = application.pledges.first()
    client.force_login(application.team.contact)
    data = {
        "pledges-TOTAL_FORMS": "1",
        "pledges-INITIAL_FORMS": "1",
        "pledges-MAX_NUM_FORMS": "50",
        "pledges-0-id": pledge.pk,
        "pledges-0-cofunder": pledge.cofunder_id,
        "pledges-0-amount": str(total + 500),
        "pledges-0-contact_email": pledge.contact_email,
    }
    application.pledges.exclude(pk=pledge.pk).delete()
    assert client.post(step_url(application, "cofunding"), data).status_code == 302
    application.refresh_from_db()
    assert application.requested_amount == 0
    page = client.get(reverse("apply:summary", args=[application.pk])).content.decode()
    assert "De toegezegde cofinanciering" in page
    assert "is hoger dan het begrotingstotaal" in page
    assert "meer dan € 0" not in page  # the reasons do not contradict each other
    assert "€ -" not in page
    assert "-500" not in page
    response = client.post(reverse("apply:submit", args=[application.pk]), follow=True)
    assert "is hoger dan het begrotingstotaal" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft"


def test_a_complete_draft_is_submitted_from_the_summary(client):
    application = ApplicationFactory()
    client.force_login(application.team.contact)
    page = client.get(reverse("apply:summary", args=[application.pk])).content.decode()
    assert "Uw aanvraag is compleet." in page
    response = client.post(reverse("apply:submit", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert application.status == "submitted"
    assert f"Uw aanvraag {application.reference} is ingediend." in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"lines-TOTAL_FORMS": "x", "lines-INITIAL_FORMS": "0"},
        {"lines-TOTAL_FORMS": "5000", "lines-INITIAL_FORMS": "0", "lines-0-amount": "1" * 40},
        {"pledges-TOTAL_FORMS": "1", "pledges-INITIAL_FORMS": "1", "pledges-0-id": "abc"},
    ],
    ids=["no-management-form", "garbage-count", "huge-count", "garbage-id"],
)
def test_malformed_posts_are_form_errors_not_500(client, data):
    application, member, _ = empty_draft()
    client.force_login(member)
    for step in ("budget", "cofunding"):
        response = client.post(step_url(application, step), data)
        assert response.status_code in (200, 302), step
    assert not application.budget_lines.exists()


def test_a_pledge_of_another_application_cannot_be_changed(client):
    application, member, _ = empty_draft()
    foreign = ApplicationFactory().pledges.get()
    client.force_login(member)
    data = {
        "pledges-TOTAL_FORMS": "1",
        "pledges-INITIAL_FORMS": "1",
        "pledges-0-id": foreign.pk,
        "pledges-0-cofunder": foreign.cofunder_id,
        "pledges-0-amount": "1",
    }
    response = client.post(step_url(application, "cofunding"), data)
    assert response.status_code == 200
    assert "Deze toezegging kan niet meer worden gewijzigd" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.amount != Decimal("1.00")


def test_summary_and_steps_run_the_same_number_of_queries_however_many_rows(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants.models import Attachment

    application = ApplicationFactory()
    member = application.team.contact
    client.force_login(member)
    urls = [reverse("apply:summary", args=[application.pk])] + [
        step_url(application, step) for step in ("plan", "parties", "budget", "cofunding", "attachments")
    ]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    few = counts()
    for index in range(12):
        BudgetLine.objects.create(application=application, category="materials", description=f"Post {index}", amount=10)
        CoFundingPledge.objects.create(application=application, cofunder=cofunder(f"Fonds {index}"), amount=1)
        Attachment.objects.create(
            application=application,
            file=f"attachments/x{index}.pdf",
            original_name=f"bijlage {index}.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=member,
        )
    assert counts() == few


def test_an_application_with_an_information_request_has_no_submit_button(client):
    application = ApplicationFactory(info_requested=True)
    client.force_login(application.team.contact)
    page = client.get(reverse("apply:summary", args=[application.pk])).content.decode()
    assert "Aanvraag indienen" not in page
    assert "De subsidieverstrekker heeft om meer informatie gevraagd." in page


def test_a_scheme_that_has_not_opened_yet_has_no_page(client):
    from tests.factories import SchemeFactory

    application = ApplicationFactory()
    scheme = SchemeFactory(
        opens_on=timezone.localdate() + datetime.timedelta(days=5),
        closes_on=timezone.localdate() + datetime.timedelta(days=50),
    )
    client.force_login(application.team.contact)
    assert client.get(reverse("apply:scheme", args=[scheme.pk])).status_code == 404


def test_a_pledge_cannot_send_its_confirmation_link_to_the_team_itself(client):
    """The co-funder confirms through a link sent to this address; a team member's address would let
    the team confirm its own co-funding."""
    application, member, _ = empty_draft()
    board = cofunder()
    client.force_login(member)
    data = {
        "pledges-TOTAL_FORMS": "1",
        "pledges-INITIAL_FORMS": "0",
        "pledges-MAX_NUM_FORMS": "50",
        "pledges-0-cofunder": board.pk,
        "pledges-0-amount": "4.000",
        "pledges-0-contact_email": member.email.upper(),
    }
    response = client.post(step_url(application, "cofunding"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit is het adres van een lid van uw team." in page
    assert 'value="4.000"' in page  # nothing typed is lost
    assert not CoFundingPledge.objects.filter(application=application).exists()
    with pytest.raises(ActionRefused, match="lid van uw team"):
        application_save_pledges(
            application=application,
            actor=member,
            pledges=[{"cofunder": board, "amount": Decimal("4000"), "contact_email": member.email}],
        )


def test_a_pledge_the_cofunder_answered_meanwhile_does_not_block_saving_the_other_rows(client):
    application = ApplicationFactory(info_requested=True)  # links went out on submission
    pledge = application.pledges.get()
    force_status(pledge, "confirmed")  # the co-funder answers while the team edits
    new = cofunder()
    client.force_login(application.team.contact)
    data = {
        "pledges-TOTAL_FORMS": "2",
        "pledges-INITIAL_FORMS": "1",
        "pledges-MAX_NUM_FORMS": "50",
        "pledges-0-id": str(pledge.pk),
        "pledges-0-cofunder": str(pledge.cofunder_id),
        "pledges-0-amount": "1,00",  # typed before the answer came: not applied
        "pledges-1-cofunder": str(new.pk),
        "pledges-1-amount": "2.500,00",
        "pledges-1-contact_email": "info@cultuurfonds.example.nl",
    }
    response = client.post(step_url(application, "cofunding"), data, follow=True)
    assert "beantwoord terwijl u aan het bewerken was" in response.content.decode()
    assert CoFundingPledge.objects.get(application=application, cofunder=new).amount == Decimal("2500.00")
    pledge.refresh_from_db()
    assert (pledge.status, pledge.amount) == ("confirmed", Decimal("10000.00"))


def test_a_plan_posted_after_a_teammate_submitted_is_shown_again_with_the_reason(client):
    application = ApplicationFactory(submitted=True)
    text = "Leerlingen van groep 7 en 8 brengen met een kunstenaar hun wijk in kaart."
    client.force_login(application.team.contact)
    response = client.post(step_url(application, "plan"), {"title": application.title, "summary": text})
    assert response.status_code == 409
    page = response.content.decode()
    assert text in page  # nothing typed is lost without a word
    assert "Deze aanvraag kan niet meer worden gewijzigd" in page
    application.refresh_from_db()
    assert application.summary != text
    assert client.get(step_url(application, "plan")).status_code == 302  # opening it still goes to the summary


def test_plan_fields_say_which_are_needed_to_submit_and_which_are_optional(client):
    """A draft saves without them, so the form does not require them; the labels must not call them optional."""
    application, member, _ = empty_draft()
    client.force_login(member)
    page = client.get(step_url(application, "plan"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    labels = dict(re.findall(r'<label class="utrecht-form-label" for="id_(\w+)">(.*?)</label>', page, re.S))
    for name in ("title", "summary", "goals", "project_start", "project_end"):
        assert "(nodig om in te dienen)" in labels[name], name
    assert "(niet verplicht)" in labels["learning_area"]


def test_the_schools_say_needed_to_submit_not_optional(client):
    """The schools step called them optional; the submit then refused with "Add at least one participating school"."""
    application, member, _ = empty_draft()
    client.force_login(member)
    page = client.get(step_url(application, "parties")).content.decode()
    label = page[page.index("Deelnemende scholen") :]
    label = label[: label.index("</span>")]
    assert "(nodig om in te dienen)" in label
    assert "niet verplicht" not in label


def test_a_co_funders_address_too_long_to_keep_is_refused_with_every_row_kept(client):
    """Valid by RFC 3696 (a form's EmailField takes 320 characters), too long for the 254-character column:
    PostgreSQL refused it with a 500 and the team lost the page."""
    application, member, _ = empty_draft()
    BudgetLine.objects.create(application=application, category="personnel", description="Uren", amount=20000)
    client.force_login(member)
    address = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".nl"
    data = {
        "pledges-TOTAL_FORMS": "1",
        "pledges-INITIAL_FORMS": "0",
        "pledges-MAX_NUM_FORMS": "50",
        "pledges-0-cofunder": cofunder().pk,
        "pledges-0-amount": "10.000",
        "pledges-0-contact_email": address,
    }
    response = client.post(step_url(application, "cofunding"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "niet meer dan 254 tekens" in page
    assert 'value="10.000"' in page
    assert not CoFundingPledge.objects.filter(application=application).exists()
