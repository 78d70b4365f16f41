"""The team writes its interim and final reports: actual costs per budget line, co-funding, results."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants.models import AuditEvent, Report
from tests.factories import ApplicationFactory
from workflow import actions
from workflow.exceptions import ActionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def running():
    application = ApplicationFactory(active=True)
    interim = Report.objects.create(application=application, kind="interim", due_date=timezone.localdate())
    final = Report.objects.create(application=application, kind="final", due_date=timezone.localdate())
    return application, interim, final


def form_data(application, *, results="Vijf lessen gegeven; 60 leerlingen deden mee.", cofunding="10000.00"):
    data = {f"cost_{line.pk}": "19500.00" for line in application.budget_lines.all()}
    data.update({"results": results, "realised_cofunding": cofunding})
    return data


def test_save_keeps_a_draft_without_submitting(client, running):
    application, _interim, final = running
    client.force_login(application.team.contact)
    data = form_data(application, results="Eerste helft klaar.")
    response = client.post(reverse("portal:report", args=[final.pk]), {**data, "save": "1"})
    assert response.status_code == 302
    final.refresh_from_db()
    assert final.status == "due"
    assert final.results == "Eerste helft klaar."
    assert final.cost_lines.get().actual_amount == Decimal("19500.00")
    page = client.get(reverse("portal:report", args=[final.pk])).content.decode()
    assert 'value="19.500,00"' in page  # the amount as a Dutch reader writes it


def test_the_team_types_amounts_the_dutch_way(client, running):
    application, _interim, final = running
    line = application.budget_lines.get()
    client.force_login(application.team.contact)
    url = reverse("portal:report", args=[final.pk])
    data = {f"cost_{line.pk}": "14.400", "realised_cofunding": "€ 4.750,50", "results": "Klaar.", "save": "1"}
    assert client.post(url, data).status_code == 302
    final.refresh_from_db()
    assert final.cost_lines.get().actual_amount == Decimal("14400.00")  # not refused as three decimals
    assert final.realised_cofunding == Decimal("4750.50")  # not 4.75050
    page = client.get(url).content.decode()
    assert 'value="14.400,00"' in page
    assert 'value="4.750,50"' in page
    response = client.post(url, {**data, f"cost_{line.pk}": "14.400,005"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Een bedrag heeft hoogstens twee cijfers achter de komma (hele centen)." in page
    assert 'value="14.400,005"' in page


def test_saving_costs_takes_the_same_queries_for_a_long_budget(running):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants.models import BudgetLine

    application, interim, _final = running
    member = application.team.contact

    def save(costs):
        with CaptureQueriesContext(connection) as queries:
            actions.report_save(report=interim, actor=member, results="Halverwege.", costs=costs)
        return len(queries)

    first = {line.pk: Decimal("100.00") for line in application.budget_lines.all()}
    save(first)  # the first also reads the team's members for the permission check
    short = save(first)
    for number in range(12):
        BudgetLine.objects.create(
            application=application, category="materials", description=f"Post {number}", amount=10
        )
    lines = list(application.budget_lines.all())
    entered = {line.pk: Decimal("50.00") for line in lines}
    assert save(entered) == short  # 13 lines inserted or updated in one statement
    entered[lines[0].pk] = None  # a cleared line goes
    assert save(entered) == short + 1
    assert interim.cost_lines.count() == len(lines) - 1
    assert set(interim.cost_lines.values_list("actual_amount", flat=True)) == {Decimal("50.00")}


def test_submitting_the_final_report_moves_the_application(client, running):
    application, _interim, final = running
    client.force_login(application.team.contact)
    response = client.post(reverse("portal:report", args=[final.pk]), {**form_data(application), "submit": "1"})
    assert response.status_code == 302
    final.refresh_from_db()
    application.refresh_from_db()
    assert final.status == "submitted"
    assert final.submitted_by == application.team.contact
    assert final.realised_cofunding == Decimal("10000.00")
    assert application.status == "final_report_submitted"
    assert AuditEvent.objects.filter(application=application, action="submit_final_report").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Het eindverslag is ingediend." in page


def test_interim_report_leaves_the_project_running(client, running):
    application, interim, _final = running
    client.force_login(application.team.contact)
    response = client.post(reverse("portal:report", args=[interim.pk]), {**form_data(application), "submit": "1"})
    assert response.status_code == 302
    interim.refresh_from_db()
    application.refresh_from_db()
    assert interim.status == "submitted"
    assert application.status == "active"


def test_incomplete_report_is_refused_with_reasons_and_input_kept(client, running):
    application, _interim, final = running
    client.force_login(application.team.contact)
    data = {**form_data(application, results="", cofunding=""), "submit": "1"}
    response = client.post(reverse("portal:report", args=[final.pk]), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Beschrijf de resultaten van het project." in html
    assert "Vul de gerealiseerde cofinanciering in" in html
    assert "19500.00" in html or "19500,00" in html
    final.refresh_from_db()
    assert final.status == "due"


def test_submitted_report_cannot_be_changed(running):
    application, interim, _final = running
    member = application.team.contact
    costs = {line.pk: Decimal("1.00") for line in application.budget_lines.all()}
    actions.report_submit(report=interim, actor=member, results="Klaar.", costs=costs)
    with pytest.raises(ActionRefused, match=r"al ingediend|submitted already"):
        actions.report_save(report=interim, actor=member, results="Anders.", costs=costs)


def test_final_report_refused_while_extension_is_requested(running):
    application, _interim, final = running
    from tests.factories import force_status

    force_status(application, "extension_requested")
    costs = {line.pk: Decimal("1.00") for line in application.budget_lines.all()}
    with pytest.raises(ActionRefused):
        actions.report_submit(
            report=final, actor=application.team.contact, results="Klaar.", realised_cofunding=0, costs=costs
        )
    final.refresh_from_db()
    assert final.status == "due"


def test_another_teams_report_is_404(client, running):
    _application, _interim, final = running
    stranger = ApplicationFactory().team.contact
    client.force_login(stranger)
    assert client.get(reverse("portal:report", args=[final.pk])).status_code == 404
    assert client.post(reverse("portal:report", args=[final.pk]), {"submit": "1"}).status_code == 404


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_a_file_attached_to_the_report_is_kept_and_downloadable(client, running):
    application, _interim, final = running
    client.force_login(application.team.contact)
    upload = SimpleUploadedFile("tentoonstelling.pdf", PDF_BYTES, content_type="application/pdf")
    data = {**form_data(application), "submit": "1", "attachment": upload}
    response = client.post(reverse("portal:report", args=[final.pk]), data)
    assert response.status_code == 302
    attachment = final.attachments.get()
    assert attachment.application == application
    assert attachment.original_name == "tentoonstelling.pdf"
    page = client.get(reverse("portal:report", args=[final.pk])).content.decode()
    assert "tentoonstelling.pdf" in page
    download = reverse("apply:attachment_download", args=[attachment.pk])
    assert download in page
    assert client.get(download).status_code == 200


def test_a_disguised_file_is_refused_and_the_input_stays(client, running):
    application, _interim, final = running
    client.force_login(application.team.contact)
    html_as_pdf = b"<html><script>alert(1)</script></html>"
    upload = SimpleUploadedFile("verslag.pdf", html_as_pdf, content_type="application/pdf")
    data = {**form_data(application, results="Onze resultaten."), "save": "1", "attachment": upload}
    response = client.post(reverse("portal:report", args=[final.pk]), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "verslag.pdf" in html
    assert "Onze resultaten." in html
    assert not final.attachments.exists()


@pytest.mark.parametrize("kind", ["interim", "final"])
def test_the_report_form_says_which_fields_submitting_needs(client, running, kind):
    """A draft saves without them; submitting refuses without them: they are not "optional"."""
    application, interim, final = running
    report = interim if kind == "interim" else final
    client.force_login(application.team.contact)
    page = client.get(reverse("portal:report", args=[report.pk])).content.decode()
    labels = dict(re.findall(r'<label class="utrecht-form-label" for="id_(\w+)">(.*?)</label>', page, re.S))
    line = application.budget_lines.get()
    assert "(nodig om in te dienen)" in labels[f"cost_{line.pk}"]
    assert "(nodig om in te dienen)" in labels["results"]
    cofunding = "(nodig om in te dienen)" if kind == "final" else "(niet verplicht)"
    assert cofunding in labels["realised_cofunding"]
    assert "(niet verplicht)" in labels["attachment"]


def test_a_submitted_reports_page_takes_the_same_queries_for_three_times_the_cost_lines(client, running):
    """Each row of the actual-costs table names its budget line; those are read with the cost lines."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants.models import BudgetLine, ReportCostLine
    from tests.factories import force_status

    application, interim, _final = running
    force_status(interim, "submitted")
    client.force_login(application.team.contact)
    url = reverse("portal:report", args=[interim.pk])

    def add_cost_lines(count):
        start = application.budget_lines.count()
        for number in range(start, start + count):
            line = BudgetLine.objects.create(
                application=application, category="materials", description=f"Post {number}", amount=10
            )
            ReportCostLine.objects.create(report=interim, budget_line=line, actual_amount=Decimal("9.00"))

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    add_cost_lines(3)
    client.get(url)  # the session and content types read once
    few, _page = page_queries()
    add_cost_lines(6)
    many, page = page_queries()
    assert "Post 8" in page  # the ninth cost line's budget line is in the table
    assert few == many
