"""Inviting a colleague to a role at the administrator's funder, by e-mail address."""

from django import forms
from django.core.validators import EmailValidator, MaxLengthValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from grants.accounts.actions import mailbox
from grants.accounts.colleagues import invitation_problems
from grants.accounts.models import FunderInvitation
from grants.models import Funder


class ColleagueInvitationForm(forms.ModelForm):
    """An address and a role: the colleague accepts with their own account, or makes one then."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,  # the invitation's column holds no more
        help_text=_(
            "The colleague receives a link by e-mail. The role is theirs once they accept, with their Grantdesk "
            "account or a new one."
        ),
    )

    class Meta:
        model = FunderInvitation
        fields = ["email", "funder", "role"]
        labels = {"funder": capfirst(Funder._meta.verbose_name)}  # the field itself has no translated name

    requested_by = None  # the administrator sending it (set by the admin, `get_form`)

    def clean_email(self):
        # The invitation keeps the address the e-mail goes to (`mailbox`), whose domain, in IDNA, can be
        # longer than what was typed: the column's limit holds for that one.
        email = mailbox(self.cleaned_data["email"])
        if not email.isascii():  # a domain with no IDNA form (an empty or overlong label): no e-mail gets there
            raise forms.ValidationError(EmailValidator.message, code="invalid")
        MaxLengthValidator(FunderInvitation._meta.get_field("email").max_length)(email)
        return email

    def clean(self):
        cleaned = super().clean()
        email, funder, role = cleaned.get("email"), cleaned.get("funder"), cleaned.get("role")
        if email and funder and role and self.requested_by is not None:
            for problem in invitation_problems(funder=funder, role=role, email=email, actor=self.requested_by):
                self.add_error("email", problem)
        return cleaned
