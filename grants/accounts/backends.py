"""The authentication backend: Django's model backend, with one change for the sign-in form."""

from django.contrib.auth.backends import AllowAllUsersModelBackend
from django.core.exceptions import PermissionDenied

PATH = "grants.accounts.backends.SignInBackend"


class SignInBackend(AllowAllUsersModelBackend):
    """Authenticates active accounts, and a self-registered one awaiting its e-mail confirmation
    when its password is right, so that the sign-in form can tell the teacher to confirm the
    address first (`LoginForm.confirm_login_allowed`) without hashing the password a second time.

    Every other attempt ends here with PermissionDenied: no later backend checks the password
    again, and Django reports the failure (django-axes counts it, also for a switched-off account
    whose password was right, so a lockout tells nothing about a guess). Such an account keeps
    no session (`get_user`) and has no permissions.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        from .actions import awaiting_confirmation  # actions import the models: not at start-up

        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and (user.is_active or awaiting_confirmation(user)):
            return user
        if username is not None and password is not None:
            raise PermissionDenied
        return None

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
