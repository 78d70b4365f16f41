"""Beheer lets in a funder's administrators only, and shows and changes only their own funders' rows."""

import pytest
from django.urls import reverse

from documents.models import LetterText
from grants.accounts.models import FunderInvitation
from grants.models import FunderRole, Scheme, User
from tests.factories import ApplicationFactory, UserFactory, staff
from workflow.states import Role

pytestmark = pytest.mark.django_db

INDEX = reverse("beheer:index")


def test_signed_out_visitors_go_to_the_sites_sign_in_page(client):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={INDEX}"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.DECIDER, Role.FINANCE, Role.REVIEWER])
def test_other_roles_are_refused_with_a_reason(client, world, role):
    client.force_login(staff(world.funder, role))
    response = client.get(INDEX)
    assert response.status_code == 403
    assert "Beheer is voor de beheerders van een subsidieverstrekker." in response.content.decode()


def test_a_superuser_without_the_role_keeps_to_the_django_admin(client, world):
    client.force_login(User.objects.create_superuser(email="root@grantdesk.example.nl", password="x"))
    assert client.get(INDEX).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_team_member_is_refused(client):
    client.force_login(ApplicationFactory().team.contact)
    assert client.get(INDEX).status_code == 403


def test_a_funder_administrator_enters_without_staff_flags(beheer, world):
    assert not world.admin.is_staff
    assert not world.admin.is_superuser
    page = beheer.get(INDEX).content.decode()
    for url in ("grants_funder", "grants_scheme", "grants_funderrole", "documents_lettertext"):
        assert reverse(f"beheer:{url}_changelist") in page


@pytest.mark.parametrize("model", ["grants_user", "grants_application", "grants_auditevent", "documents_letter"])
def test_users_and_lifecycle_data_are_not_in_beheer(beheer, model):
    assert beheer.get(f"{INDEX}{model.replace('_', '/', 1)}/").status_code == 404


# --- Another funder's rows ------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_funders_scheme_is_not_found_by_its_address(beheer, world, view):
    assert beheer.get(reverse(f"beheer:grants_scheme_{view}", args=[world.other_scheme.pk])).status_code == 404
    assert beheer.get(reverse(f"beheer:grants_scheme_{view}", args=[world.scheme.pk])).status_code == 200


def test_another_funder_its_roles_and_letter_texts_are_not_found_by_address(beheer, world):
    other_role = FunderRole.objects.get(user=world.other_admin)
    text = LetterText.objects.create(scheme=world.other_scheme, kind="award", position="closing", body="Groet")
    assert beheer.get(reverse("beheer:grants_funder_change", args=[world.other_funder.pk])).status_code == 404
    assert beheer.get(reverse("beheer:grants_funderrole_change", args=[other_role.pk])).status_code == 404
    delete = reverse("beheer:grants_funderrole_delete", args=[other_role.pk])
    assert beheer.post(delete, {"post": "yes"}).status_code == 404
    assert beheer.get(reverse("beheer:documents_lettertext_change", args=[text.pk])).status_code == 404
    assert FunderRole.objects.filter(pk=other_role.pk).exists()


def test_lists_filters_and_choices_show_only_the_own_funder(beheer, world):
    other_names = (world.other_funder.name, world.other_scheme.name, world.other_admin.email)
    pages = [
        "beheer:grants_funder_changelist",
        "beheer:grants_scheme_changelist",
        "beheer:grants_scheme_add",
        "beheer:grants_funderrole_changelist",
        "beheer:grants_funderrole_add",
        "beheer:documents_lettertext_changelist",
        "beheer:documents_lettertext_add",
        "beheer:documents_lettertext_preview",
    ]
    for name in pages:
        page = beheer.get(reverse(name)).content.decode()
        assert not [other for other in other_names if other in page], name
    funder_page = beheer.get(reverse("beheer:grants_funder_change", args=[world.funder.pk])).content.decode()
    assert world.other_admin.email not in funder_page  # the signatories' account choices: own staff only
    assert world.scheme.name in beheer.get(reverse("beheer:documents_lettertext_add")).content.decode()
    assert world.scheme.name in beheer.get(reverse("beheer:grants_scheme_changelist")).content.decode()


def scheme_post(funder, **changes) -> dict:
    return {
        "funder": funder.pk,
        "name": "Gekaapte regeling",
        "slug": "gekaapt",
        "reference_prefix": "KAAP",
        "legal_basis": "Regeling",
        "opens_on": "2026-01-01",
        "closes_on": "2026-12-31",
        "budget_ceiling": "1000",
        "max_per_application": "100",
        "cofunding_ratio": "0",
        "allocation_method": "first_come",
        "eligible_school_types": ["bo"],
        "tracks": "",
        "learning_areas": "",
        "min_reviews": "1",
        "decision_term_weeks": "8",
        "information_term_days": "14",
        "advance_percentage": "80",
        "max_project_months": "24",
        "max_extension_months": "12",
        "final_report_weeks": "8",
        "settlement_term_weeks": "13",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        **changes,
    }


def test_a_scheme_cannot_be_created_for_another_funder(beheer, world):
    response = beheer.post(reverse("beheer:grants_scheme_add"), scheme_post(world.other_funder))
    assert response.status_code == 200
    assert "funder" in response.context["adminform"].form.errors
    assert not Scheme.objects.filter(slug="gekaapt").exists()
    # the same post for the own funder is accepted, so it was the funder that was refused
    beheer.post(reverse("beheer:grants_scheme_add"), scheme_post(world.funder))
    assert Scheme.objects.get(slug="gekaapt").funder == world.funder


def test_a_scheme_keeps_its_funder_and_reference_prefix(client, world):
    second = staff(world.other_funder, Role.ADMIN)
    FunderRole.objects.create(user=second, funder=world.funder, role=Role.ADMIN)  # administers both
    client.force_login(second)
    url = reverse("beheer:grants_scheme_change", args=[world.scheme.pk])
    response = client.get(url)
    form = response.context["adminform"].form
    assert "funder" not in form.fields
    assert "reference_prefix" not in form.fields


def test_no_colleague_can_be_invited_to_another_funder_nor_given_staff_flags(beheer, world):
    colleague = UserFactory()
    response = beheer.post(
        reverse("beheer:accounts_funderinvitation_add"),
        {"email": colleague.email, "funder": world.other_funder.pk, "role": Role.ADMIN, "is_superuser": "on"},
    )
    assert response.status_code == 200
    assert "funder" in response.context["adminform"].form.errors
    assert not FunderInvitation.objects.exists()
    colleague.refresh_from_db()
    assert not colleague.is_staff
    assert not colleague.is_superuser


def test_roles_are_not_given_directly_only_by_invitation(beheer, world):
    colleague = UserFactory()
    response = beheer.post(
        reverse("beheer:grants_funderrole_add"),
        {"email": colleague.email, "user": colleague.pk, "funder": world.funder.pk, "role": Role.OFFICER},
    )
    assert response.status_code == 403
    assert not FunderRole.objects.filter(user=colleague).exists()
    page = beheer.get(reverse("beheer:grants_funderrole_changelist")).content.decode()
    assert reverse("beheer:accounts_funderinvitation_add") in page


def test_another_funders_invitations_are_neither_listed_nor_withdrawn(beheer, world):
    theirs = FunderInvitation.objects.create(
        funder=world.other_funder, role=Role.OFFICER, email="hun.collega@example.nl", invited_by=world.other_admin
    )
    page = beheer.get(reverse("beheer:accounts_funderinvitation_changelist")).content.decode()
    assert "hun.collega@example.nl" not in page
    beheer.post(
        reverse("beheer:accounts_funderinvitation_changelist"),
        {"action": "withdraw", "_selected_action": [theirs.pk]},
    )
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_last_administrator_role_of_a_funder_cannot_be_taken(beheer, world):
    own = FunderRole.objects.get(user=world.admin)
    assert beheer.post(reverse("beheer:grants_funderrole_delete", args=[own.pk]), {"post": "yes"}).status_code == 403
    assert FunderRole.objects.filter(pk=own.pk).exists()


def test_every_administrator_role_cannot_be_taken_at_once_with_the_bulk_delete(beheer, world):
    second = FunderRole.objects.create(user=UserFactory(), funder=world.funder, role=Role.ADMIN)
    own = FunderRole.objects.get(user=world.admin)
    response = beheer.post(
        reverse("beheer:grants_funderrole_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert FunderRole.objects.filter(funder=world.funder, role=Role.ADMIN).count() == 2


def test_an_administrator_cannot_give_themselves_a_role(beheer, world):
    """Or one administrator could hold both sides of four eyes (prepare and take, enter and confirm)."""
    for role in (Role.OFFICER, Role.DECIDER, Role.FINANCE):
        response = beheer.post(
            reverse("beheer:accounts_funderinvitation_add"),
            {"email": world.admin.email.upper(), "funder": world.funder.pk, "role": role},
        )
        assert "email" in response.context["adminform"].form.errors
    assert not FunderInvitation.objects.exists()
    assert list(FunderRole.objects.filter(user=world.admin).values_list("role", flat=True)) == [Role.ADMIN]


def test_a_schemes_money_terms_are_fixed_once_it_has_applications(beheer, world):
    """The co-funding ratio and the advance settle the grants applied for; changing them would change those."""
    url = reverse("beheer:grants_scheme_change", args=[world.scheme.pk])
    assert "cofunding_ratio" in beheer.get(url).context["adminform"].form.fields
    ApplicationFactory(scheme=world.scheme, submitted=True)
    fields = beheer.get(url).context["adminform"].form.fields
    assert "cofunding_ratio" not in fields
    assert "advance_percentage" not in fields
    assert "budget_ceiling" in fields  # more budget is still the administrator's to give


def test_a_letter_text_cannot_be_written_for_another_funders_scheme(beheer, world):
    response = beheer.post(
        reverse("beheer:documents_lettertext_add"),
        {"scheme": world.other_scheme.pk, "kind": "award", "position": "closing", "body": "Gekaapt"},
    )
    assert "scheme" in response.context["adminform"].form.errors
    assert not LetterText.objects.exists()


def test_another_funders_scheme_is_not_previewed(beheer, world):
    response = beheer.get(
        reverse("beheer:documents_lettertext_preview"), {"scheme": world.other_scheme.pk, "kind": "award"}
    )
    assert response["Content-Type"].startswith("text/html")
    assert "scheme" in response.context["form"].errors


def test_the_funders_slug_and_bank_account_are_not_changed_in_beheer(beheer, world):
    response = beheer.get(reverse("beheer:grants_funder_change", args=[world.funder.pk]))
    form = response.context["adminform"].form
    assert not {"slug", "iban", "bic", "account_holder"} & set(form.fields)
