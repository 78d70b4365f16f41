"""Giving a colleague a role at the administrator's funder, by the e-mail address of their account."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from grants.models import Funder, FunderRole, User


class FunderRoleGrantForm(forms.ModelForm):
    """Only an existing account: Beheer makes no users and sets no passwords (the superuser does)."""

    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The colleague's Grantdesk account. It must exist already.")
    )

    class Meta:
        model = FunderRole
        fields = ["email", "funder", "role"]
        labels = {"funder": capfirst(Funder._meta.verbose_name)}  # the field itself has no translated name

    requested_by = None  # the administrator giving the role (set by the admin, `get_form`)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if not email:
            return cleaned
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            self.add_error("email", _("There is no account with this e-mail address."))
            return cleaned
        if self.requested_by is not None and user.pk == self.requested_by.pk:
            # Roles given to oneself would let one administrator hold both sides of four eyes.
            self.add_error("email", _("You cannot give yourself a role; another administrator does that."))
            return cleaned
        self.instance.user = user
        funder, role = cleaned.get("funder"), cleaned.get("role")
        if funder and role and FunderRole.objects.filter(user=user, funder=funder, role=role).exists():
            self.add_error("role", _("This colleague already holds this role at this funder."))
        return cleaned
