"""A funder's administrator configures the own funder in Beheer; every change leaves an admin log entry."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from documents.models import LetterText
from grants.accounts.models import FunderInvitation
from grants.models import AuditEvent, FunderRole, ReviewScore, Signatory
from tests.factories import ApplicationFactory, ReviewFactory, UserFactory, staff
from workflow.states import Role

from .conftest import form_data

pytestmark = pytest.mark.django_db


def logged(user, obj, flag) -> bool:
    return LogEntry.objects.filter(user=user, object_id=str(obj.pk), action_flag=flag).exists()


def test_the_administrator_changes_the_own_funders_address(beheer, world):
    url = reverse("beheer:grants_funder_change", args=[world.funder.pk])
    data = form_data(beheer.get(url)) | {"street_address": "Wolvenhoek 1", "postal_code": "5211 HH"}
    response = beheer.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.funder.refresh_from_db()
    assert (world.funder.street_address, world.funder.postal_code) == ("Wolvenhoek 1", "5211 HH")
    assert world.funder.slug.startswith("teststad-")  # untouched
    assert logged(world.admin, world.funder, CHANGE)


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_the_logo_is_an_image_by_its_content_not_a_renamed_text_file(beheer, world):
    """Letters show the logo; a text file named logo.png used to be taken, and letters silently lost it."""
    url = reverse("beheer:grants_funder_change", args=[world.funder.pk])
    fake = SimpleUploadedFile("logo.png", b"dit is geen afbeelding\n" * 20, content_type="image/png")
    response = beheer.post(url, form_data(beheer.get(url)) | {"logo": fake})
    assert response.status_code == 200
    assert "logo" in response.context["adminform"].form.errors
    world.funder.refresh_from_db()
    assert not world.funder.logo
    real = SimpleUploadedFile("logo.png", PNG_1PX, content_type="image/png")
    response = beheer.post(url, form_data(beheer.get(url)) | {"logo": real})
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.funder.refresh_from_db()
    assert world.funder.logo.name.startswith("funders/logos/")


def test_a_logo_over_two_megabytes_is_refused_with_its_size(beheer, world):
    """The logo is in every letter: one of 20 MB (the attachments' limit) made every letter PDF as large."""
    url = reverse("beheer:grants_funder_change", args=[world.funder.pk])
    heavy = SimpleUploadedFile("logo.png", PNG_1PX + b"\0" * (3 * 1024 * 1024), content_type="image/png")
    response = beheer.post(url, form_data(beheer.get(url)) | {"logo": heavy})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"] == [
        "Een logo mag hoogstens 2 MB groot zijn; dit logo is 3,0 MB. "
        "Sla het kleiner op: 1000 pixels breed is ruim genoeg."
    ]
    world.funder.refresh_from_db()
    assert not world.funder.logo


def test_the_forms_speak_dutch_not_django(beheer, world):
    page = beheer.get(reverse("beheer:grants_scheme_add")).content.decode()
    assert "Subsidieverstrekker" in page
    assert ">Funder<" not in page
    roles = beheer.get(reverse("beheer:grants_funderrole_changelist")).content.decode()
    assert ">User<" not in roles
    assert ">Funder<" not in roles


def test_the_administrator_adds_a_signatory(beheer, world):
    url = reverse("beheer:grants_funder_change", args=[world.funder.pk])
    data = form_data(beheer.get(url)) | {
        "signatories-TOTAL_FORMS": "1",
        "signatories-0-name": "I. Schellekens",
        "signatories-0-job_title": "wethouder Onderwijs",
        "signatories-0-mandate_line": "namens het college van burgemeester en wethouders",
        "signatories-0-funder": world.funder.pk,
    }
    response = beheer.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert Signatory.objects.get(funder=world.funder).name == "I. Schellekens"
    assert logged(world.admin, world.funder, CHANGE)


def test_the_administrator_raises_a_schemes_ceiling(beheer, world):
    url = reverse("beheer:grants_scheme_change", args=[world.scheme.pk])
    tracks, types = world.scheme.tracks, world.scheme.eligible_school_types
    page = beheer.get(url)
    assert 'type="checkbox" name="eligible_school_types"' in page.content.decode()  # ticked, not typed as JSON
    assert ">Subsidieplafond:<" in page.content.decode()  # labelled like the model's own fields
    response = beheer.post(url, form_data(page) | {"budget_ceiling": "250.000"})  # as a Dutch reader writes it
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.scheme.refresh_from_db()
    assert world.scheme.budget_ceiling == Decimal("250000.00")
    assert (world.scheme.tracks, world.scheme.eligible_school_types) == (tracks, types)
    assert world.scheme.criteria.count() == 2  # the rubric came back unchanged
    assert logged(world.admin, world.scheme, CHANGE)


def test_a_ceiling_below_what_is_already_awarded_is_refused_with_the_amount(beheer, world):
    ApplicationFactory(awarded=True, scheme=world.scheme, amount=Decimal("45500.00"))
    url = reverse("beheer:grants_scheme_change", args=[world.scheme.pk])
    lower = {"budget_ceiling": "40000.00", "max_per_application": "20000.00"}
    response = beheer.post(url, form_data(beheer.get(url)) | lower)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["budget_ceiling"] == [
        "Het subsidieplafond kan niet lager zijn dan de € 45.500,00 die in deze regeling al is verleend."
    ], errors
    world.scheme.refresh_from_db()
    assert world.scheme.budget_ceiling != Decimal("40000.00")


def test_the_rubric_is_fixed_once_a_reviewer_has_scored_on_it(beheer, world):
    """A new weight or maximum would recompute finished reviews and reorder a ranking already decided on."""
    url = reverse("beheer:grants_scheme_change", args=[world.scheme.pk])
    rubric = beheer.get(url).context["inline_admin_formsets"][0]
    assert rubric.has_change_permission
    criterion = world.scheme.criteria.first()
    review = ReviewFactory(application=ApplicationFactory(scheme=world.scheme, in_review=True))
    ReviewScore.objects.create(review=review, criterion=criterion, score=7)
    response = beheer.get(url)
    rubric = response.context["inline_admin_formsets"][0]
    assert (rubric.has_add_permission, rubric.has_change_permission, rubric.has_delete_permission) == (False,) * 3
    data = form_data(response) | {"criteria-0-weight": "5.00", "criteria-0-max_score": "3"}
    assert beheer.post(url, data).status_code == 302
    criterion.refresh_from_db()
    assert (criterion.weight, criterion.max_score) != (Decimal("5.00"), 3)


def test_the_administrator_writes_a_letter_text_and_previews_it_as_pdf(beheer, world):
    response = beheer.post(
        reverse("beheer:documents_lettertext_add"),
        {"scheme": world.scheme.pk, "kind": "award", "position": "closing", "body": "Veel succes met het project!"},
    )
    assert response.status_code == 302
    text = LetterText.objects.get(scheme=world.scheme)
    assert text.updated_by == world.admin
    assert logged(world.admin, text, ADDITION)
    changelist = beheer.get(reverse("beheer:documents_lettertext_changelist")).content.decode()
    preview = reverse("beheer:documents_lettertext_preview")
    assert f"{preview}?scheme={world.scheme.pk}&amp;kind=award" in changelist
    pdf = beheer.get(preview, {"scheme": world.scheme.pk, "kind": "award"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_obligations_are_refused_for_a_letter_without_them_and_the_text_is_kept(beheer, world, settings):
    """Saved for a rejection, an "Obligations" text was stored and never printed: only award letters list them."""
    beheer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = "U meldt wijzigingen in het project direct."
    response = beheer.post(
        reverse("beheer:documents_lettertext_add"),
        {"scheme": world.scheme.pk, "kind": "rejection", "position": "obligations", "body": body},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Only award letters list obligations. Put this text in another place of the letter." in page
    assert body in page
    assert not LetterText.objects.exists()


def test_the_administrator_invites_a_colleague_who_accepts_the_officer_role_and_then_takes_it(
    beheer, world, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="Sanne.vanderHeijden@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        response = beheer.post(
            reverse("beheer:accounts_funderinvitation_add"),
            {"email": "sanne.vanderheijden@example.nl", "funder": world.funder.pk, "role": Role.OFFICER},
        )
    assert response.status_code == 302
    assert not FunderRole.objects.filter(user=colleague).exists()  # not before the colleague accepts
    (message,) = mail.outbox
    invitation = FunderInvitation.objects.get()
    assert invitation.token in message.body
    sanne = Client()
    sanne.force_login(colleague)
    sanne.post(reverse("accounts:accept_invitation", args=[invitation.token]))
    role = FunderRole.objects.get(user=colleague)
    assert (role.funder, role.role) == (world.funder, Role.OFFICER)
    again = beheer.post(
        reverse("beheer:accounts_funderinvitation_add"),
        {"email": colleague.email, "funder": world.funder.pk, "role": Role.OFFICER},
    )
    assert "email" in again.context["adminform"].form.errors
    beheer.post(reverse("beheer:grants_funderrole_delete", args=[role.pk]), {"post": "yes"})
    assert not FunderRole.objects.filter(user=colleague).exists()
    assert logged(world.admin, role, DELETION)
    # Who may do what is what four eyes rest on: both changes are in the funder's audit log, the role
    # given by the administrator who invited.
    events = AuditEvent.objects.filter(funder=world.funder, action__in=("role_given", "role_taken"))
    assert [(e.action, e.actor, e.data["email"], e.data["role"]) for e in events.order_by("pk")] == [
        ("role_given", world.admin, colleague.email, Role.OFFICER),
        ("role_taken", world.admin, colleague.email, Role.OFFICER),
    ]


def test_taking_a_role_away_says_what_it_leaves_behind_and_returns_to_the_list(beheer, world):
    """A reviewer's open review stayed "assigned" unseen; taking the only decider left decisions no one could take."""
    reviewer = staff(world.funder, Role.REVIEWER)
    ReviewFactory(application=ApplicationFactory(scheme=world.scheme, in_review=True), reviewer=reviewer)
    role = FunderRole.objects.get(user=reviewer, role=Role.REVIEWER)
    url = reverse("beheer:grants_funderrole_delete", args=[role.pk])
    assert "Er staat nog één beoordeling open bij deze persoon" in beheer.get(url).content.decode()
    response = beheer.post(url, {"post": "yes"})
    assert response["Location"] == reverse("beheer:grants_funderrole_changelist")
    decider = FunderRole.objects.get(user=staff(world.funder, Role.DECIDER), role=Role.DECIDER)
    page = beheer.get(reverse("beheer:grants_funderrole_delete", args=[decider.pk])).content.decode()
    assert "Niemand anders heeft de rol Besluitnemer bij" in page


def test_the_letter_preview_is_a_button_above_the_letter_texts(beheer, world):
    """It was reachable only through the PDF link of a text already saved, or by typing its address."""
    page = beheer.get(reverse("beheer:documents_lettertext_changelist")).content.decode()
    preview = reverse("beheer:documents_lettertext_preview")
    assert f'href="{preview}"' in page
    assert "Voorbeeld van een brief" in page
    assert beheer.get(preview).status_code == 200


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><rect width="20"/></svg>'),
        ("logo.png", b"<!doctype html><html><body><script>alert(1)</script></body></html>"),
    ],
)
def test_a_logo_that_is_no_image_is_refused_as_a_logo_not_as_an_attachment(beheer, world, name, content):
    """The refusal listed PDF, Word, Excel and ODT as accepted: a PDF logo was then refused in turn."""
    beheer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the new message has no Dutch in the catalogue yet
    url = reverse("beheer:grants_funder_change", args=[world.funder.pk])
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    response = beheer.post(url, form_data(beheer.get(url)) | {"logo": upload})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"] == [
        "A logo must be a PNG or JPEG image. We look at what the file contains, not at its name."
    ]
    world.funder.refresh_from_db()
    assert not world.funder.logo
