"""The deadline pages: who may open them (404/403/login), and the flows they start."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from grants.models import Extension, InformationRequest, Objection, Report
from tests.factories import ApplicationFactory, DecisionFactory, SchemeFactory, UserFactory, staff, under_objection
from workflow.actions import application_request_extension, extension_prepare
from workflow.states import ApplicationStatus, DecisionKind, DecisionStatus, ExtensionStatus, Role

pytestmark = pytest.mark.django_db
AMS = datetime.timezone(datetime.timedelta(hours=1))


def at(day, hour=10):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, tzinfo=AMS), tick=False)


def _running_project(scheme):
    """A project of `scheme` running from 1 January to 30 June 2026, made on 2 March."""
    with at(datetime.date(2026, 3, 2)):
        return ApplicationFactory(
            active=True, scheme=scheme, project_start=datetime.date(2026, 1, 1), project_end=datetime.date(2026, 6, 30)
        )


def _under_objection(application, kind, grounds, **fields):
    """`application`'s decision of `kind` (letter of 20 February 2026), objected to by the team; the
    application in the `objection` state, with `fields` set as well."""
    decision = DecisionFactory(
        application=application, kind=kind, status=DecisionStatus.TAKEN, letter_date=datetime.date(2026, 2, 20)
    )
    return under_objection(decision, grounds=grounds, due_date=datetime.date(2026, 4, 13), **fields)


@pytest.fixture
def world():
    """An active project with an extension request and a rejected application under objection."""
    with at(datetime.date(2026, 3, 2)):
        scheme = SchemeFactory(max_extension_months=6)
        funder = scheme.funder
        active = _running_project(scheme)
        Report.objects.create(application=active, kind=Report.Kind.FINAL, due_date=datetime.date(2026, 8, 25))
        extension = application_request_extension(
            application=active,
            actor=active.team.contact,
            motivation="Succes",
            new_end_date=datetime.date(2026, 12, 1),
        )
        rejected = ApplicationFactory(rejected=True, scheme=scheme)
        objection = _under_objection(rejected, DecisionKind.REJECTION, "Oneens")
        return {
            "scheme": scheme,
            "active": active,
            "extension": extension,
            "rejected": rejected,
            "objection": objection,
            "officer": staff(funder, Role.OFFICER),
            "decider": staff(funder, Role.DECIDER),
            "finance": staff(funder, Role.FINANCE),
            "other_officer": staff(SchemeFactory().funder, Role.OFFICER),
            "other_team_member": ApplicationFactory().team.contact,
        }


def staff_urls(w):
    return [
        reverse("deadlines:application", args=[w["active"].pk]),
        reverse("deadlines:application_action", args=[w["active"].pk, "prepare-revocation"]),
        reverse("deadlines:extension", args=[w["extension"].pk]),
        reverse("deadlines:objection", args=[w["objection"].pk]),
    ]


def team_urls(w):
    return [
        reverse("deadlines:project", args=[w["active"].pk]),
        reverse("deadlines:request_extension", args=[w["active"].pk]),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in [reverse("deadlines:overview"), *staff_urls(world), *team_urls(world)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"]


def test_staff_of_another_funder_and_teams_get_404_on_staff_pages(client, world):
    for user in (world["other_officer"], world["other_team_member"], world["active"].team.contact):
        client.force_login(user)
        for url in staff_urls(world):
            assert client.get(url).status_code == 404, (user, url)


def test_staff_do_not_see_a_teams_draft(client, world):
    draft = ApplicationFactory(scheme=world["scheme"], title="Nog geheim conceptplan")
    for user in (world["officer"], world["decider"], world["finance"]):
        client.force_login(user)
        for url in (
            reverse("deadlines:application", args=[draft.pk]),
            reverse("deadlines:application_action", args=[draft.pk, "extend-term"]),
        ):
            response = client.get(url)
            assert response.status_code == 404, (user, url)
            assert "Nog geheim" not in response.content.decode()
    client.force_login(world["officer"])
    response = client.post(
        reverse("deadlines:application_action", args=[draft.pk, "extend-term"]), {"weeks": "4", "reasons": "x"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.term_extended_on is None


def test_other_teams_and_staff_get_404_on_the_teams_pages(client, world):
    for user in (world["other_team_member"], world["officer"], world["other_officer"]):
        client.force_login(user)
        for url in team_urls(world):
            assert client.get(url).status_code == 404, (user, url)


def test_a_role_without_the_right_gets_403(client, world):
    client.force_login(world["finance"])
    assert client.get(reverse("deadlines:application", args=[world["active"].pk])).status_code == 200
    url = reverse("deadlines:application_action", args=[world["active"].pk, "prepare-revocation"])
    assert client.get(url).status_code == 403
    response = client.post(reverse("deadlines:extension", args=[world["extension"].pk]), {"step": "decide"})
    assert response.status_code == 403
    client.force_login(world["other_team_member"])
    assert client.get(reverse("deadlines:overview")).status_code == 403
    assert client.get(reverse("deadlines:application_action", args=[world["active"].pk, "nope"])).status_code == 404


def test_overview_lists_only_the_own_funders_work(client, world):
    with at(datetime.date(2026, 3, 2)):
        elsewhere = ApplicationFactory(submitted=True)
        mine = ApplicationFactory(submitted=True, scheme=world["scheme"])
    client.force_login(world["officer"])
    with at(datetime.date(2026, 3, 3)):
        page = client.get(reverse("deadlines:overview")).content.decode()
    assert mine.reference in page
    assert elsewhere.reference not in page
    assert world["active"].reference in page  # its extension request
    assert world["rejected"].reference in page  # its objection


def test_overview_queries_do_not_grow_with_the_number_of_items(client, world, django_assert_max_num_queries):
    with at(datetime.date(2026, 3, 2)):
        for _ in range(8):
            application = ApplicationFactory(info_requested=True, scheme=world["scheme"])
            InformationRequest.objects.create(
                application=application,
                message="x",
                due_date=datetime.date(2026, 3, 1),
                requested_by=world["officer"],
            )
            ApplicationFactory(submitted=True, scheme=world["scheme"])
    client.force_login(world["officer"])
    with at(datetime.date(2026, 3, 3)), django_assert_max_num_queries(12):
        response = client.get(reverse("deadlines:overview"))
    assert response.content.decode().count("set-aside/") == 8


def test_final_reports_waiting_for_settlement_are_listed_with_the_schemes_term(
    client, world, django_assert_max_num_queries
):
    scheme = world["scheme"]
    type(scheme).objects.filter(pk=scheme.pk).update(settlement_term_weeks=13)
    with at(datetime.date(2026, 3, 2)):
        waiting = []
        for received in (datetime.date(2025, 11, 20), datetime.date(2026, 2, 2)):
            application = ApplicationFactory(active=True, scheme=scheme)
            type(application).objects.filter(pk=application.pk).update(status="final_report_submitted")
            Report.objects.create(
                application=application,
                kind=Report.Kind.FINAL,
                due_date=received,
                status="submitted",
                submitted_at=datetime.datetime.combine(received, datetime.time(12), AMS),
            )
            waiting.append(application)
        elsewhere = ApplicationFactory(active=True)
        type(elsewhere).objects.filter(pk=elsewhere.pk).update(status="final_report_submitted")
        Report.objects.create(
            application=elsewhere, kind=Report.Kind.FINAL, due_date=datetime.date(2026, 1, 5), status="submitted"
        )
    client.force_login(world["officer"])
    with at(datetime.date(2026, 3, 3)), django_assert_max_num_queries(12):
        page = client.get(reverse("deadlines:overview")).content.decode()
    section = page[page.index('id="settlements"') :]
    assert section.index(waiting[0].reference) < section.index(waiting[1].reference)  # the soonest first
    assert "19 februari 2026" in section  # 20 November + 13 weeks: already overdue
    assert "4 mei 2026" in section  # 2 February + 13 weeks
    assert elsewhere.reference not in page


def test_officer_sets_aside_from_the_list(client, world):
    with at(datetime.date(2026, 3, 2)):
        application = ApplicationFactory(info_requested=True, scheme=world["scheme"])
        InformationRequest.objects.create(
            application=application, message="x", due_date=datetime.date(2026, 3, 10), requested_by=world["officer"]
        )
    client.force_login(world["officer"])
    url = reverse("deadlines:application_action", args=[application.pk, "set-aside"])
    with at(datetime.date(2026, 3, 10)):
        response = client.post(url)
        assert response.status_code == 422
        assert "10 maart 2026" in response.content.decode()
    with at(datetime.date(2026, 3, 11)):
        response = client.post(url)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NOT_CONSIDERED


def test_refusal_keeps_what_the_officer_typed(client, world):
    client.force_login(world["officer"])
    url = reverse("deadlines:application_action", args=[world["rejected"].pk, "extend-term"])
    response = client.post(url, {"weeks": "3", "reasons": "Mijn zorgvuldige motivering"})
    assert response.status_code == 422
    assert "Mijn zorgvuldige motivering" in response.content.decode()


def test_extension_prepare_and_decide_through_the_page(client, world):
    url = reverse("deadlines:extension", args=[world["extension"].pk])
    client.force_login(world["decider"])
    assert 'name="step" value="decide"' not in client.get(url).content.decode()  # nothing prepared yet
    client.force_login(world["officer"])
    with at(datetime.date(2026, 3, 3)):
        response = client.post(url, {"step": "prepare", "recommendation": "grant", "reasons": "Goed"})
    assert response.status_code == 302
    client.force_login(world["decider"])
    with at(datetime.date(2026, 3, 4)):
        response = client.post(url, {"step": "decide", "decision": "grant", "reasons": ""})
    assert response.status_code == 302
    world["extension"].refresh_from_db()
    assert world["extension"].status == ExtensionStatus.GRANTED
    world["active"].refresh_from_db()
    assert world["active"].project_end == datetime.date(2026, 12, 1)
    assert world["active"].reports.get(kind=Report.Kind.FINAL).due_date == datetime.date(2027, 1, 26)


def test_the_preparer_cannot_decide_on_the_page(client, world):
    both = staff(world["scheme"].funder, Role.DECIDER, email=world["officer"].email)
    with at(datetime.date(2026, 3, 3)):
        extension_prepare(extension=world["extension"], actor=both, recommend_grant=True, reasons="Goed")
    client.force_login(both)
    with at(datetime.date(2026, 3, 4)):
        response = client.post(
            reverse("deadlines:extension", args=[world["extension"].pk]),
            {"step": "decide", "decision": "grant", "reasons": ""},
        )
    assert response.status_code == 422
    assert Extension.objects.get(pk=world["extension"].pk).status == ExtensionStatus.REQUESTED


def test_objection_postponed_and_overturned_through_the_page(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("deadlines:objection", args=[world["objection"].pk])
    client.force_login(world["officer"])
    with at(datetime.date(2026, 4, 1)), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"step": "extend", "extend-reasons": "Advies volgt"})
    assert response.status_code == 302
    world["objection"].refresh_from_db()
    assert world["objection"].due_date == datetime.date(2026, 5, 26)  # 25 May is Whit Monday (Atw)
    assert len(mailoutbox) == 1
    client.force_login(world["decider"])
    with at(datetime.date(2026, 4, 2)):
        response = client.post(
            url,
            {"step": "decide", "decide-outcome": "overturn", "decide-amount": "7500.00", "decide-reasons": "Terecht"},
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    world["rejected"].refresh_from_db()
    assert world["rejected"].status == ApplicationStatus.AWARDED
    assert world["rejected"].awarded_amount == Decimal("7500.00")


def test_overturning_an_objection_against_an_award_asks_for_the_higher_amount_and_keeps_the_input(client, world):
    with at(datetime.date(2026, 3, 2)):
        application = ApplicationFactory(awarded=True, scheme=world["scheme"], amount=Decimal("10000.00"))
        objection = _under_objection(application, DecisionKind.AWARD, "Te weinig", awarded_amount=Decimal("8000.00"))
    url = reverse("deadlines:objection", args=[objection.pk])
    client.force_login(world["decider"])
    with at(datetime.date(2026, 4, 2)):
        page = client.get(url).content.decode()
        assert "€ 8.000,00" in page  # the current award, next to the requested amount
        response = client.post(
            url,
            {"step": "decide", "decide-outcome": "overturn", "decide-amount": "7000.00", "decide-reasons": "Terecht"},
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert "€ 8.000,00" in html
        assert 'value="7000.00"' in html
        assert "Terecht" in html
        application.refresh_from_db()
        assert application.status == ApplicationStatus.OBJECTION
        response = client.post(
            url,
            {"step": "decide", "decide-outcome": "overturn", "decide-amount": "9500.00", "decide-reasons": "Terecht"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.awarded_amount) == (ApplicationStatus.AWARDED, Decimal("9500.00"))


def test_team_requests_an_extension_and_sees_it(client, world):
    application = _running_project(world["scheme"])
    member = UserFactory()
    application.team.memberships.create(user=member)
    client.force_login(member)
    with at(datetime.date(2026, 3, 3)):
        response = client.post(
            reverse("deadlines:request_extension", args=[application.pk]),
            {"new_end_date": "2027-06-30", "motivation": "Meer tijd nodig", "extra_amount": ""},
        )
        assert response.status_code == 422
        assert "Meer tijd nodig" in response.content.decode()
        response = client.post(
            reverse("deadlines:request_extension", args=[application.pk]),
            {"new_end_date": "2026-10-31", "motivation": "Meer tijd nodig", "extra_amount": ""},
        )
        assert response.status_code == 302
        page = client.get(reverse("deadlines:project", args=[application.pk])).content.decode()
    assert "31 oktober 2026" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.EXTENSION_REQUESTED


def test_a_refused_extension_request_answers_422_with_the_reason_and_what_was_typed(client, world):
    """Like every other refused form (portal, workbench): 422, not 400, which reads as a broken request."""
    application = _running_project(world["scheme"])
    client.force_login(application.team.contact)
    client.cookies.load({"django_language": "en"})
    data = {"new_end_date": "2027-06-30", "motivation": "De bouw van de kas loopt uit", "extra_amount": "1,500.00"}
    with at(datetime.date(2026, 3, 3)):
        response = client.post(reverse("deadlines:request_extension", args=[application.pk]), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "The scheme allows an extension of at most 6 months." in page
    assert 'value="2027-06-30"' in page
    assert "De bouw van de kas loopt uit" in page
    assert 'value="1,500.00"' in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVE


def test_the_extension_page_says_why_instead_of_offering_a_form_that_cannot_succeed(client, world):
    """Once asked, the page still offered the form; sending it again was refused only then."""
    application = _running_project(world["scheme"])
    client.force_login(application.team.contact)
    url = reverse("deadlines:request_extension", args=[application.pk])
    with at(datetime.date(2026, 3, 3)):
        assert 'name="new_end_date"' in client.get(url).content.decode()
        application_request_extension(
            application=application,
            actor=application.team.contact,
            motivation="Meer tijd nodig",
            new_end_date=datetime.date(2026, 10, 31),
        )
        html = client.get(url).content.decode()
    assert 'name="new_end_date"' not in html
    assert 'data-testid="extension-refused"' in html
    assert "Verlenging aangevraagd" in html  # the refusal names the status the project is in


@pytest.mark.parametrize(
    ("days", "text"), [(-3, "3 dagen te laat"), (-1, "1 dag te laat"), (0, "nog 0 dagen"), (1, "nog 1 dag")]
)
def test_days_left_are_told_in_words(days, text):
    from django.utils import translation

    from workflow.templatetags.deadline_tags import days_left_text

    with translation.override("nl"):
        assert days_left_text(days) == text


def rejected_on_20_january(world):
    """An application of the world's scheme, rejected by a letter of 20 January 2026."""
    with at(datetime.date(2026, 1, 20)):
        application = ApplicationFactory(rejected=True, scheme=world["scheme"])
        DecisionFactory(
            application=application,
            kind=DecisionKind.REJECTION,
            status=DecisionStatus.TAKEN,
            letter_date=datetime.date(2026, 1, 20),
        )
    return application


def test_officer_registers_an_objection_received_by_post_checked_against_the_day_it_arrived(client, world):
    """Letter of 20 January 2026: the objection period ends on 3 March. Registered on 9 March, an objection
    received on 2 March is in time, one received on 4 March is not; the decision term runs from receipt."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grants.models import AuditEvent

    application = rejected_on_20_january(world)
    officer = world["officer"]
    client.force_login(officer)
    url = reverse("deadlines:application_action", args=[application.pk, "register-objection"])
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    def register(received_on, letter=None):
        data = {"received_on": received_on, "objector": "Stichting Ouderraad De Linde", "grounds": "Ons bezwaar"}
        if letter is not None:
            data["letter"] = letter
        return client.post(url, data)

    with at(datetime.date(2026, 3, 9)):
        page = client.get(reverse("deadlines:application", args=[application.pk])).content.decode()
        assert url in page  # offered on the application's terms page
        late = register("2026-03-04")
        assert late.status_code == 422
        assert "3 maart 2026" in late.content.decode()  # the period ended then
        assert "Ons bezwaar" in late.content.decode()  # the input is kept
        assert register("2026-03-10").status_code == 422  # received in the future
        fake = SimpleUploadedFile("bezwaar.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
        assert register("2026-03-02", fake).status_code == 422  # checked by content
        assert not Objection.objects.filter(application=application).exists()
        assert application.attachments.count() == 0
        response = register("2026-03-02", SimpleUploadedFile("bezwaar.pdf", pdf, content_type="application/pdf"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OBJECTION
    objection = Objection.objects.get(application=application)
    assert (objection.received_on, objection.objector) == (datetime.date(2026, 3, 2), "Stichting Ouderraad De Linde")
    assert objection.due_date == datetime.date(2026, 4, 14)  # six weeks after the period ended (Awb 7:10)
    assert objection.submitted_by == officer
    assert objection.letter.original_name == "bezwaar.pdf"
    event = AuditEvent.objects.get(application=application, action="object")
    assert event.actor == officer
    assert event.data["received_on"] == "2026-03-02"
    assert event.data["objector"] == "Stichting Ouderraad De Linde"
    detail = client.get(reverse("deadlines:objection", args=[objection.pk])).content.decode()
    assert "2 maart 2026, Stichting Ouderraad De Linde" in detail
    assert "bezwaar.pdf" in detail
    # The team's history names who objected, not "the team".
    client.force_login(application.team.contact)
    history = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert "Een per post of e-mail ontvangen bezwaar is geregistreerd: Stichting Ouderraad De Linde." in history
    assert "Het team heeft bezwaar gemaakt" not in history


# Valid by the letter of RFC 3696 (a form's EmailField takes up to 320 characters), too long for a
# 254-character column: PostgreSQL refused it with a 500.
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".nl"


def test_an_objectors_address_too_long_to_keep_is_refused_with_the_input_kept(client, world):
    application = rejected_on_20_january(world)
    client.force_login(world["officer"])
    url = reverse("deadlines:application_action", args=[application.pk, "register-objection"])
    data = {
        "received_on": "2026-03-02",
        "objector": "Stichting Ouderraad De Linde",
        "objector_email": LONG_EMAIL,
        "grounds": "Ons bezwaar",
    }
    with at(datetime.date(2026, 3, 9)):
        response = client.post(url, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "niet meer dan 254 tekens" in page
    assert "Stichting Ouderraad De Linde" in page
    assert "Ons bezwaar" in page
    assert not Objection.objects.filter(application=application).exists()


def test_only_an_officer_registers_an_objection_received_otherwise(client, world):
    url = reverse("deadlines:application_action", args=[world["active"].pk, "register-objection"])
    client.force_login(world["decider"])
    assert client.get(url).status_code == 403
    client.force_login(world["active"].team.contact)
    assert client.get(url).status_code == 404


def test_an_officer_settles_without_a_report_typing_the_amount_the_dutch_way(client, world):
    application = _running_project(world["scheme"])
    with at(datetime.date(2026, 3, 2)):
        Report.objects.create(application=application, kind=Report.Kind.FINAL, due_date=datetime.date(2026, 8, 25))
    client.force_login(world["officer"])
    url = reverse("deadlines:application_action", args=[application.pk, "settle-without-report"])
    with at(datetime.date(2026, 8, 26)):
        assert 'value="0,00"' in client.get(url).content.decode()  # not "0.00"
        response = client.post(url, {"amount": "4.750,50", "reasons": "Geen eindverslag ontvangen"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    application.refresh_from_db()
    assert application.settled_amount == Decimal("4750.50")


def test_an_objection_is_overturned_with_the_amount_typed_the_dutch_way(client, world):
    client.force_login(world["decider"])
    url = reverse("deadlines:objection", args=[world["objection"].pk])
    with at(datetime.date(2026, 4, 2)):
        response = client.post(
            url, {"step": "decide", "decide-outcome": "overturn", "decide-amount": "7.500", "decide-reasons": "Terecht"}
        )
    assert response.status_code == 302
    world["rejected"].refresh_from_db()
    assert world["rejected"].awarded_amount == Decimal("7500.00")


def test_the_extra_budget_of_an_extension_is_typed_and_shown_the_dutch_way(client, world):
    application = _running_project(world["scheme"])
    client.force_login(application.team.contact)
    with at(datetime.date(2026, 3, 3)):
        response = client.post(
            reverse("deadlines:request_extension", args=[application.pk]),
            {"new_end_date": "2026-10-31", "motivation": "Meer tijd nodig", "extra_amount": "1.500"},
        )
    assert response.status_code == 302
    extension = Extension.objects.get(application=application)
    assert extension.extra_amount == Decimal("1500.00")
    client.force_login(world["officer"])
    page = client.get(reverse("deadlines:extension", args=[extension.pk])).content.decode()
    assert "€ 1.500,00" in page


def test_the_extra_budget_label_says_optional_once(client, world, settings):
    """It read "Extra budget (€), optional (optional)": the label said it, and so did the form."""
    application = _running_project(world["scheme"])
    client.force_login(application.team.contact)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with at(datetime.date(2026, 3, 3)):
        html = client.get(reverse("deadlines:request_extension", args=[application.pk])).content.decode()
    label = html[html.index('for="id_extra_amount"') :]
    label = re.sub(r"<[^>]+>", "", label[: label.index("</label>")])
    assert label.count("optional") == 1
