"""Colleague invitations under attack: what someone who should not get a role tries, and what stops them."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from grants.accounts.models import FunderInvitation
from grants.models import AuditEvent, FunderRole, User
from tests.factories import PASSWORD, UserFactory
from workflow.states import Role

pytestmark = pytest.mark.django_db


def send(client, funder, email, role=Role.OFFICER, capture=None):
    with capture(execute=True):
        return client.post(
            reverse("beheer:accounts_funderinvitation_add"), {"email": email, "funder": funder.pk, "role": role}
        )


def accept_url(invitation) -> str:
    return reverse("accounts:accept_invitation", args=[invitation.token])


def test_guessing_the_password_of_an_invited_account_is_locked_out_as_at_sign_in(
    beheer, world, settings, django_capture_on_commit_callbacks
):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    colleague = UserFactory(email="bram@example.nl")
    send(beheer, world.funder, "bram@example.nl", capture=django_capture_on_commit_callbacks)
    url = accept_url(FunderInvitation.objects.get())
    guesser = Client()
    for _attempt in range(3):
        guesser.post(url, {"password": "fout"})
    response = guesser.post(url, {"password": PASSWORD})
    assert response.status_code == 429
    assert not FunderRole.objects.filter(user=colleague).exists()
    # The sign-in form counts the same guesses: the lock is on the address (and IP), not on one page.
    assert Client().post("/accounts/login/", {"username": "bram@example.nl", "password": PASSWORD}).status_code == 429


def test_another_funders_invitation_is_neither_shown_nor_found_by_search(beheer, world):
    """Sending for and withdrawing at another funder: tests/beheer/test_access.py."""
    theirs = FunderInvitation.objects.create(
        funder=world.other_funder, role=Role.OFFICER, email="y@example.nl", invited_by=world.other_admin
    )
    assert beheer.get(reverse("beheer:accounts_funderinvitation_change", args=[theirs.pk])).status_code == 404
    listing = beheer.get(reverse("beheer:accounts_funderinvitation_changelist") + "?q=example").content.decode()
    assert "y@example.nl" not in listing


@pytest.mark.parametrize(
    "email",
    [
        " beheerder@example.nl ",
        "BEHEERDER@EXAMPLE.NL",
        "beheerder@example.nl.",
        # Look the same, or nearly, and the mail reaches the same mailbox (the domain goes out as IDNA):
        "beheerder@example.nl\u200b",  # a zero-width space
        "beheerder@exa\u00admple.nl",  # a soft hyphen
        "beheerder@\uff45xample.nl",  # a full-width e
    ],
)
def test_an_administrator_cannot_invite_their_own_address(beheer, world, email, django_capture_on_commit_callbacks):
    world.admin.email = "beheerder@example.nl"
    world.admin.save(update_fields=["email"])
    send(beheer, world.funder, email, Role.DECIDER, capture=django_capture_on_commit_callbacks)
    assert not FunderInvitation.objects.exists(), email
    assert mail.outbox == []


def test_a_switched_off_account_cannot_accept(beheer, world, django_capture_on_commit_callbacks):
    UserFactory(email="uit@example.nl", is_active=False)
    send(beheer, world.funder, "uit@example.nl", capture=django_capture_on_commit_callbacks)
    invitation = FunderInvitation.objects.get()
    visitor = Client()
    page = visitor.post(accept_url(invitation), {"password": PASSWORD})
    assert page.status_code == 200
    assert "_auth_user_id" not in visitor.session
    assert not FunderRole.objects.filter(user__email="uit@example.nl").exists()
    # Nor by making a second account with the same address in other letters.
    visitor.post(
        accept_url(invitation), {"first_name": "A", "last_name": "B", "password1": "x" * 20, "password2": "x" * 20}
    )
    assert User.objects.filter(email__iexact="uit@example.nl").count() == 1


def test_accepting_is_protected_against_cross_site_posts(beheer, world, django_capture_on_commit_callbacks):
    colleague = UserFactory(email="bram@example.nl")
    send(beheer, world.funder, "bram@example.nl", capture=django_capture_on_commit_callbacks)
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(colleague)
    assert signed_in.post(accept_url(FunderInvitation.objects.get())).status_code == 403
    assert not FunderRole.objects.filter(user=colleague).exists()


def test_accepting_signs_in_on_a_new_session(beheer, world, django_capture_on_commit_callbacks):
    UserFactory(email="bram@example.nl")
    send(beheer, world.funder, "bram@example.nl", capture=django_capture_on_commit_callbacks)
    visitor = Client()
    url = accept_url(FunderInvitation.objects.get())
    visitor.get(url)
    visitor.session.save()
    before = visitor.cookies["sessionid"].value if "sessionid" in visitor.cookies else None
    response = visitor.post(url, {"password": PASSWORD})
    assert response["Location"] == "/"
    assert visitor.cookies["sessionid"].value != before


@pytest.mark.parametrize("since", ["role taken away", "account switched off"])
def test_a_role_offered_by_someone_no_longer_administrator_is_not_given(
    beheer, world, since, settings, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="bram@example.nl")
    send(beheer, world.funder, "bram@example.nl", Role.ADMIN, capture=django_capture_on_commit_callbacks)
    invitation = FunderInvitation.objects.get()
    if since == "role taken away":
        FunderRole.objects.filter(user=world.admin).delete()
    else:
        world.admin.is_active = False
        world.admin.save(update_fields=["is_active"])
    visitor = Client()
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = visitor.get(accept_url(invitation))
    assert page.status_code == 410
    assert f"whoever sent it is no longer an administrator of {world.funder.name}." in page.content.decode()
    visitor.post(accept_url(invitation), {"password": PASSWORD})
    assert not FunderRole.objects.filter(user=colleague).exists()
    assert "_auth_user_id" not in visitor.session


def test_the_audit_log_keeps_no_token(beheer, world, django_capture_on_commit_callbacks):
    UserFactory(email="bram@example.nl")
    send(beheer, world.funder, "bram@example.nl", capture=django_capture_on_commit_callbacks)
    invitation = FunderInvitation.objects.get()
    Client().post(accept_url(invitation), {"password": PASSWORD})
    for event in AuditEvent.objects.all():
        assert invitation.token not in str(event.data)


def test_an_invitation_keeps_the_address_its_e_mail_reaches(beheer, world, django_capture_on_commit_callbacks):
    colleague = UserFactory(email="bram@example.nl")
    send(beheer, world.funder, "bram@exa\u00admple.nl", capture=django_capture_on_commit_callbacks)
    invitation = FunderInvitation.objects.get()
    assert invitation.email == "bram@example.nl"
    assert mail.outbox[0].to == ["bram@example.nl"]
    Client().post(accept_url(invitation), {"password": PASSWORD})  # Bram's own account, not a second one
    assert FunderRole.objects.filter(user=colleague, funder=world.funder, role=Role.OFFICER).exists()


def test_an_address_whose_domain_grows_in_idna_beyond_the_column_is_refused_beside_the_field(
    beheer, world, django_capture_on_commit_callbacks
):
    email = "a" * 64 + "@" + ".".join(["\u00fc" * 20] * 8) + ".nl"  # 235 characters typed, 283 as mailed
    response = send(beheer, world.funder, email, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    assert not FunderInvitation.objects.exists()


def test_an_account_at_an_international_domain_accepts_the_invitation_to_its_address(
    beheer, world, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="jan@b\u00fccher.de")
    send(beheer, world.funder, "jan@b\u00fccher.de", capture=django_capture_on_commit_callbacks)
    invitation = FunderInvitation.objects.get()
    assert invitation.email == "jan@xn--bcher-kva.de"  # where the e-mail went
    signed_in = Client()
    signed_in.force_login(colleague)
    assert signed_in.post(accept_url(invitation)).status_code == 302
    assert FunderRole.objects.filter(user=colleague, funder=world.funder, role=Role.OFFICER).exists()


def test_an_address_no_e_mail_can_reach_is_refused_beside_the_field(beheer, world, django_capture_on_commit_callbacks):
    response = send(beheer, world.funder, "x@\u200b.example.nl", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    assert not FunderInvitation.objects.exists()
