from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from grants.widgets import SearchableCheckboxes


class LoginForm(auth_forms.AuthenticationForm):
    """Sign-in by e-mail address; the field keeps Django's name `username` (axes reads it)."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("This e-mail address and password do not match. Check both and try again."),
        "awaiting_confirmation": _(
            "Confirm your e-mail address first: open the link in the e-mail we sent when you registered your team."
        ),
    }
    awaiting_confirmation = False

    def confirm_login_allowed(self, user):
        """The password was right. A self-registered account that is not confirmed yet (the one inactive
        account `backends.SignInBackend` lets through) is told what to do; any other inactive account
        gets the same answer as a wrong password (the page says no more about it).
        """
        from .actions import awaiting_confirmation

        if user.is_active:
            return
        if awaiting_confirmation(user):
            self.awaiting_confirmation = True
            raise forms.ValidationError(self.error_messages["awaiting_confirmation"], code="awaiting_confirmation")
        raise self.get_invalid_login_error()


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The address you sign in with. We send a link to set a new password."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def new_password_field(label, *, rules: bool = False) -> forms.CharField:
    """A field for choosing a password; `rules`: say what a password must be (on the first of the two)."""
    return forms.CharField(
        label=label,
        strip=False,
        help_text=_("At least 8 characters; not only digits and not a common password.") if rules else "",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class SetPasswordForm(auth_forms.SetPasswordForm):
    new_password1 = new_password_field(_("New password"), rules=True)
    new_password2 = new_password_field(_("New password again"))


class AccountNameForm(forms.Form):
    """The signed-in user's own name. Both parts are required, as when an account is made: the name
    stands in invitations, under letters and in audit trails, where an e-mail address stood in for it."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """A new password while signed in. The current password is checked through `authenticate()`, like a
    sign-in, so django-axes counts wrong guesses: a session left open on a shared computer cannot be used
    to guess the password and take the account over."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = new_password_field(_("New password"), rules=True)
    new_password2 = new_password_field(_("New password again"))

    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.email, password=old_password) is None:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's e-mail address"),
        max_length=254,
        help_text=_("Your colleague receives a link that stays valid for 14 days."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class TeamSwitchForm(forms.Form):
    team = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class AcceptNewAccountForm(forms.Form):
    """A new colleague: name and password; the e-mail address comes from the invitation."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = new_password_field(_("Choose a password"), rules=True)
    password2 = new_password_field(_("Password again"))

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            from grants.models import User

            candidate = User(
                email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", "")
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AcceptExistingAccountForm(forms.Form):
    """The e-mail address already has an account: its password proves it is theirs."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("The password of your existing Grantdesk account."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


# --- Team self-registration ------------------------------------------------------------------------


class SchoolChoiceField(forms.ModelMultipleChoiceField):
    widget = SearchableCheckboxes(search_label=_("Search by name, place or BRIN code"))

    def label_from_instance(self, obj):
        details = [detail for detail in (obj.city, obj.brin) if detail]
        return f"{obj.name} ({', '.join(details)})" if details else obj.name


class RegistrationForm(AcceptNewAccountForm):
    """A teacher registers themself and a new team; the schools are optional (chosen per application too)."""

    field_order = ["first_name", "last_name", "email", "password1", "password2", "team_name", "schools"]

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("You sign in with this address. We send a link to it to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    team_name = forms.CharField(
        label=_("Team name"),
        max_length=200,
        help_text=_("For example the school's name and the team's subject, such as 'De Esch cultuurteam'."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    schools = SchoolChoiceField(
        label=_("The team's schools"),
        queryset=None,
        required=False,
        help_text=_("You can also choose the schools later, for each application."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, email="", **kwargs)
        from grants.models import Organisation

        self.fields["schools"].queryset = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).order_by(
            "name", "city"
        )

    def clean(self):
        self.email = self.cleaned_data.get("email", "")  # the password may not look like the address
        return super().clean()

    def registration(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "password": data["password1"],
            "team_name": data["team_name"],
            "schools": list(data["schools"]),
        }


class RegistrationResendForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The address you registered your team with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in: a switched-off account gets the same answer as a wrong password, as on
    the site's own sign-in page (`backends.SignInBackend` lets the form see such accounts)."""

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise self.get_invalid_login_error()
        super().confirm_login_allowed(user)
