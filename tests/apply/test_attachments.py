"""Uploads: checked by content, at most 20 MB, harmless names, stored outside the web root, served with a check."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from grants.models import Attachment, AuditEvent
from grants.uploads import safe_filename
from tests.factories import ApplicationFactory, UserFactory
from tests.factories.apply import (
    ELF_BYTES,
    HTML_BYTES,
    MINIMAL_PDF,
    PE_BYTES,
    docx_bytes,
    empty_draft,
    jpeg_bytes,
    odt_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


def attachments_url(application):
    return reverse("apply:step_attachments", args=[application.pk])


@pytest.fixture
def draft(client):
    application, member, _ = empty_draft(title="Onze wijk als klaslokaal", summary="Samen met de bibliotheek.")
    client.force_login(member)
    return application


def post_file(client, application, name, content, description="Steunbrief van het bestuur"):
    return client.post(
        attachments_url(application), {"description": description, "file": upload(name, content)}, follow=True
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("begroting.pdf", ELF_BYTES), ("setup.pdf", PE_BYTES), ("plan.pdf", HTML_BYTES), ("brief.docx", b"PK\x03\x04x")],
    ids=["elf-named-pdf", "pe-named-pdf", "html-named-pdf", "broken-zip-named-docx"],
)
def test_a_file_that_is_not_what_its_name_says_is_refused_and_the_draft_survives(client, draft, name, content):
    response = post_file(client, draft, name, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"“{name}” is geen PDF-, Word- (DOCX), Excel- (XLSX), OpenDocument- (ODT), PNG- of JPEG-bestand." in page
    assert 'value="Steunbrief van het bestuur"' in page  # the description typed is kept
    assert not Attachment.objects.exists()
    draft.refresh_from_db()
    assert draft.title == "Onze wijk als klaslokaal"
    assert draft.summary == "Samen met de bibliotheek."


def test_an_oversized_file_is_refused_with_a_form_error_not_a_413(client, draft, settings):
    settings.GRANTDESK_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    content = MINIMAL_PDF + b"0" * (20 * 1024 * 1024)  # 20 MB and a bit, a real PDF header
    response = post_file(client, draft, "groot.pdf", content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "“groot.pdf” is groter dan 20 MB; een bestand mag hoogstens 20 MB zijn." in page
    assert not Attachment.objects.exists()
    draft.refresh_from_db()
    assert draft.title == "Onze wijk als klaslokaal"


def test_the_size_limit_holds_while_reading_the_request(client, draft, settings):
    """The limit is enforced by the upload handler: the rest of the file is never kept."""
    settings.GRANTDESK_MAX_UPLOAD_BYTES = 1000
    response = post_file(client, draft, "brief.pdf", MINIMAL_PDF + b"0" * 5000)
    assert "groter dan 0 MB" in response.content.decode() or "is groter dan" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_path_traversal_name_is_stored_safely_and_shown_neutralised(client, draft):
    response = post_file(client, draft, "../../../etc/passwd\x07.pdf", MINIMAL_PDF)
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.original_name == "passwd.pdf"
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "attachments")
    assert attachment.file.name.count("attachments/") == 1
    assert "passwd" not in stored.name
    assert "passwd.pdf" in response.content.decode()


def test_names_are_neutralised():
    assert safe_filename("..\\..\\windows\\system32.pdf") == "system32.pdf"
    assert safe_filename("a\u202egnp.exe", "pdf") == "agnp.exe.pdf"
    assert safe_filename("<script>.png", "png") == "_script_.png"
    assert safe_filename("....", "pdf") == "bijlage.pdf"
    long = safe_filename("x" * 500 + ".pdf", "pdf")
    assert len(long) <= 120
    assert long.endswith(".pdf")
    assert safe_filename("foto.JPEG", "jpg") == "foto.JPEG"
    assert safe_filename("scan.pdf", "png") == "scan.pdf.png"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("plan.pdf", MINIMAL_PDF, "application/pdf"),
        ("foto.png", png_bytes(), "image/png"),
        ("brief.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("tekst.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("begroting.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("foto.jpg", jpeg_bytes(), "image/jpeg"),
        ("scan", png_bytes(), "image/png"),
    ],
)
def test_real_small_files_are_accepted(client, draft, name, content, content_type):
    response = post_file(client, draft, name, content)
    attachment = Attachment.objects.get()
    assert f"“{attachment.original_name}” is toegevoegd." in response.content.decode()
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert AuditEvent.objects.filter(application=draft, action="attachment.added").count() == 1


def test_download_for_the_team_only_as_an_attachment(client, draft):
    post_file(client, draft, "plan.pdf", MINIMAL_PDF)
    attachment = Attachment.objects.get()
    url = reverse("apply:attachment_download", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"

    other_team = ApplicationFactory().team.contact
    client.force_login(other_team)
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response.url


def test_delete_an_attachment_from_a_draft(client, draft, django_capture_on_commit_callbacks):
    post_file(client, draft, "plan.pdf", MINIMAL_PDF)
    attachment = Attachment.objects.get()
    path = Path(attachment.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("apply:attachment_delete", args=[draft.pk, attachment.pk]), follow=True)
    assert "“plan.pdf” is verwijderd." in response.content.decode()
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_a_user_of_another_team_cannot_upload(client, draft):
    client.force_login(UserFactory())
    response = client.post(attachments_url(draft), {"file": upload("plan.pdf", MINIMAL_PDF)})
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_a_docx_named_pdf_is_accepted_under_its_real_type(client, draft):
    post_file(client, draft, "plan.pdf", docx_bytes())
    attachment = Attachment.objects.get()
    assert attachment.content_type.endswith("wordprocessingml.document")
    assert attachment.original_name == "plan.pdf.docx"


def test_a_zip_that_is_no_office_file_is_refused(client, draft):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")  # no [Content_Types].xml
        archive.writestr("payload.exe", ELF_BYTES)
    response = post_file(client, draft, "brief.docx", buffer.getvalue())
    assert "is geen PDF-, Word-" in response.content.decode()
    assert not Attachment.objects.exists()


def test_uploads_still_need_the_csrf_token(draft):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(draft.team.contact)
    url = attachments_url(draft)
    assert client.post(url, {"file": upload("plan.pdf", MINIMAL_PDF)}).status_code == 403
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"file": upload("plan.pdf", MINIMAL_PDF), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Attachment.objects.filter(application=draft).count() == 1


def test_pages_are_available_in_english(client, draft):
    client.cookies.load({"django_language": "en"})
    page = client.get(attachments_url(draft), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Upload a file" in page


def test_confirmed_pledge_evidence_cannot_be_deleted(client, draft):
    from grants.models import CoFundingPledge
    from tests.factories import force_status
    from tests.factories.apply import cofunder

    post_file(client, draft, "toezegging.pdf", MINIMAL_PDF)
    attachment = Attachment.objects.get()
    pledge = CoFundingPledge.objects.create(application=draft, cofunder=cofunder(), amount=100, evidence=attachment)
    force_status(pledge, "confirmed")
    response = client.post(reverse("apply:attachment_delete", args=[draft.pk, attachment.pk]), follow=True)
    assert "is het bewijs van een bevestigde toezegging" in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_deleting_a_file_asks_first_and_confirmed_evidence_offers_no_delete_but_says_why(client, draft):
    """Deleting cannot be undone, so the button asks first; a confirmed pledge's evidence would be refused."""
    from grants.models import CoFundingPledge
    from tests.factories import force_status
    from tests.factories.apply import cofunder

    post_file(client, draft, "toezegging.pdf", MINIMAL_PDF)
    post_file(client, draft, "lesplan.pdf", MINIMAL_PDF + b"%lesplan")
    evidence, lesson_plan = Attachment.objects.order_by("pk")
    funder = cofunder()
    pledge = CoFundingPledge.objects.create(application=draft, cofunder=funder, amount=100, evidence=evidence)
    force_status(pledge, "confirmed")

    client.cookies.load({"django_language": "en"})
    page = client.get(attachments_url(draft)).content.decode()

    evidence_delete = reverse("apply:attachment_delete", args=[draft.pk, evidence.pk])
    plan_delete = reverse("apply:attachment_delete", args=[draft.pk, lesson_plan.pk])
    assert evidence_delete not in page
    assert f"Evidence of the co-funding confirmed by {funder.name}; it stays with the application." in page
    assert f'action="{plan_delete}" data-confirm="Delete “lesplan.pdf”? The file cannot be brought back."' in page


def test_existing_amounts_are_shown_the_dutch_way(client, draft):
    from grants.models import BudgetLine

    BudgetLine.objects.create(application=draft, category="personnel", description="Uren", amount=20000)
    page = client.get(reverse("apply:step", args=[draft.pk, "budget"])).content.decode()
    assert 'value="20.000,00"' in page


def test_the_same_file_twice_is_kept_once_with_a_clear_message(client, draft):
    """A double click on "upload", or the same letter chosen again: one copy, and the team is told."""
    post_file(client, draft, "steunbrief.pdf", MINIMAL_PDF)
    response = post_file(client, draft, "steunbrief (1).pdf", MINIMAL_PDF)
    assert "Dit bestand is al bijgevoegd als “steunbrief.pdf”." in response.content.decode()
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["steunbrief.pdf"]


def test_a_refused_delete_returns_to_the_files_with_the_reason(client, draft):
    """A page left open from before the pledge was confirmed still posts the delete: the refusal sent the team
    to the summary, away from its files."""
    from grants.models import CoFundingPledge
    from tests.factories import force_status
    from tests.factories.apply import cofunder

    post_file(client, draft, "toezegging.pdf", MINIMAL_PDF)
    evidence = Attachment.objects.get()
    pledge = CoFundingPledge.objects.create(application=draft, cofunder=cofunder(), amount=100, evidence=evidence)
    force_status(pledge, "confirmed")
    client.cookies.load({"django_language": "en"})
    response = client.post(reverse("apply:attachment_delete", args=[draft.pk, evidence.pk]))
    assert response.url == attachments_url(draft)
    page = client.get(response.url).content.decode()
    assert "“toezegging.pdf” is the evidence of a confirmed co-funding pledge and cannot be deleted." in page
    assert Attachment.objects.filter(pk=evidence.pk).exists()
