"""The authentication backend: Django's model backend, with one change for the sign-in form."""

from django.contrib.auth.backends import AllowAllUsersModelBackend

PATH = "grants.accounts.backends.SignInBackend"


class SignInBackend(AllowAllUsersModelBackend):
    """Checks the password of a switched-off account too, once, so that the sign-in form can tell a
    self-registered teacher to confirm the address first (`LoginForm.confirm_login_allowed`)
    instead of hashing the password a second time to find out. A switched-off account still
    cannot sign in (the form refuses it), keeps no session (`get_user`) and has no permissions.
    """

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
