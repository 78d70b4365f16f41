from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from grants.exceptions import NotFoundWithReason
from grants.models import User
from grants.rules import roles_of
from workflow.exceptions import ActionRefused, PermissionRefused
from workflow.states import Role

from . import actions, backends, language
from .forms import (
    AcceptExistingAccountForm,
    AcceptNewAccountForm,
    AccountNameForm,
    InviteForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    RegistrationForm,
    RegistrationResendForm,
    SetPasswordForm,
    TeamSwitchForm,
)
from .models import FunderInvitation, TeamInvitation
from .teams import active_team, switch_team, teams_of


@login_required
def home(request):
    """Send each user to where their work is: teams to their applications, staff to the workbench,
    whoever is only a funder's administrator to Beheer, where their work is (the workbench would
    only show them other people's work), and the platform's superuser to /admin/."""
    if teams_of(request.user).exists():
        return redirect("portal:index")
    roles = roles_of(request.user)
    if roles and all(held <= {Role.ADMIN} for held in roles.values()):
        return redirect("beheer:index")
    if roles:
        return redirect("workbench:dashboard")
    if request.user.is_superuser:  # the platform's superuser, with no team or role: /admin/ is their work
        return redirect("admin:index")
    return redirect("apply:schemes")


# --- Signing in and out, password reset ----------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language.on_sign_in(self.request, form.get_user(), response)
        return response

    def get_redirect_url(self):
        # A `next` back to this page would make Django refuse a signed-in user with an error (a loop).
        url = super().get_redirect_url()
        return "" if url.split("?", 1)[0] == self.request.path else url


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("accounts:login")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        language.on_sign_out(response)
        messages.info(request, _("You have signed out."))
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes' response after too many failed sign-ins: a page that says what to do (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


EMAIL_CONTEXT = {"site_url": settings.SITE_URL}


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    email_template_name = "accounts/emails/password_reset.txt"
    html_email_template_name = "accounts/emails/password_reset.html"
    extra_email_context = EMAIL_CONTEXT
    success_url = reverse_lazy("accounts:password_reset_done")
    title = gettext_lazy("Forgot your password?")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"
    title = gettext_lazy("Check your e-mail")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    title = gettext_lazy("Choose a new password")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
    title = gettext_lazy("Your password has been changed")


# --- My account: the signed-in user's own name, password, teams and roles ------------------------


def _account_page(request, form, status=200):
    user = request.user
    languages = dict(settings.LANGUAGES)
    context = {
        "form": form,
        "teams": teams_of(user),
        "roles": user.funder_roles.select_related("funder").order_by("funder__name", "role"),
        "language": languages.get(user.preferred_language) or languages.get(translation.get_language(), ""),
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """Only the user's own data: the page takes no id, so nobody reaches another's account through it."""
    user = request.user
    if request.method != "POST":
        initial = {"first_name": user.first_name, "last_name": user.last_name}
        return _account_page(request, AccountNameForm(initial=initial))
    form = AccountNameForm(request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=422)
    if actions.account_name_change(actor=user, **form.cleaned_data):
        messages.success(request, _("Your name has been saved."))
    return redirect("accounts:account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view with our form (the current password counts towards django-axes' lockout), an
    audited change, and back to the account page; the session stays signed in (Django renews its hash),
    other browsers signed in to the account are signed out."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    title = gettext_lazy("Change your password")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        actions.account_password_change(actor=self.request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect("accounts:account")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)


# --- The team: members, invitations, switching --------------------------------------------------


def _team_page(request, team, form=None, status=200):
    may_invite = request.user.has_perm("accounts.invite_to_team", team)
    invitations = []
    if may_invite:
        invitations = list(team.invitations.still_open().select_related("invited_by").order_by("email"))
    context = {
        "team": team,
        "memberships": team.memberships.select_related("user").order_by("user__first_name", "user__email"),
        "may_invite": may_invite,
        "invitations": invitations,
        "form": form or (InviteForm() if may_invite else None),
    }
    return render(request, "accounts/team.html", context, status=status)


def _active_team_or_404(request):
    team = active_team(request)
    if team is None:
        raise NotFoundWithReason(_("You are not a member of any team."))
    return team


@login_required
def team(request):
    return _team_page(request, _active_team_or_404(request))


@login_required
@require_POST
def invite(request):
    team = _active_team_or_404(request)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _team_page(request, team, form)
    try:
        invitation = actions.invitation_send(team=team, email=form.cleaned_data["email"], actor=request.user)
    except PermissionRefused as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("accounts:team")
    except ActionRefused as refusal:
        for message in refusal.messages:
            form.add_error("email", message)
        return _team_page(request, team, form)
    messages.success(request, _("We have sent an invitation to %(email)s.") % {"email": invitation.email})
    return redirect("accounts:team")


@login_required
@require_POST
def revoke_invitation(request, pk):
    team = _active_team_or_404(request)
    invitation = get_object_or_404(TeamInvitation, pk=pk, team=team)
    try:
        actions.invitation_revoke(invitation=invitation, actor=request.user)
    except ActionRefused as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect("accounts:team")


@login_required
@require_POST
def switch(request):
    form = TeamSwitchForm(request.POST)
    if not form.is_valid():
        raise Http404
    chosen = switch_team(request, form.cleaned_data["team"])
    if chosen is None:
        raise NotFoundWithReason(_("You are not a member of that team."))
    messages.success(request, _("You are now working for %(team)s.") % {"team": chosen.name})
    return redirect("home")


# --- Accepting an invitation ----------------------------------------------------------------------


def accept_invitation(request, token):
    """A team's or a funder's invitation (`actions.find_invitation`): the same three ways to accept."""
    invitation = actions.find_invitation(token)
    if invitation is None:
        message = _("This invitation link is not valid. Check that you copied the whole link from the e-mail.")
        return render(request, "accounts/invitation_invalid.html", {"message": message}, status=404)
    if refusal := actions.refusal_of(invitation):
        return render(request, "accounts/invitation_invalid.html", {"message": refusal}, status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    staff = isinstance(invitation, FunderInvitation)
    context = {
        "invitation": invitation,
        "team": None if staff else invitation.team,
        "funder": invitation.funder if staff else None,
        "existing": existing,
    }
    user = request.user
    if user.is_authenticated and actions.mailbox(user.email) != actions.mailbox(invitation.email):
        return render(request, "accounts/invitation_other_user.html", context, status=403)
    if user.is_authenticated:
        form_class = None
    elif existing is not None:
        form_class = AcceptExistingAccountForm
    else:
        form_class = AcceptNewAccountForm
    kwargs = {"email": invitation.email} if form_class is AcceptNewAccountForm else {}
    form = form_class(request.POST or None, **kwargs) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = _accept(request, invitation, user, existing, form)
        except ActionRefused as refusal:
            for message in refusal.messages:
                messages.error(request, message)
            return redirect("accounts:accept_invitation", token=invitation.token)
        if user is not None:
            if staff:
                welcome = _("You are now %(role)s at %(funder)s.") % {
                    "role": invitation.get_role_display().lower(),
                    "funder": invitation.funder.name,
                }
            else:
                switch_team(request, invitation.team_id)
                welcome = _("Welcome to %(team)s.") % {"team": invitation.team.name}
            messages.success(request, welcome)
            response = redirect("home")
            language.on_sign_in(request, user, response)
            return response
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


def _accept(request, invitation, user, existing, form):
    """Accept as the signed-in user, as the existing account (password checked), or as a new account."""
    if user.is_authenticated:
        actions.invitation_accept(invitation=invitation, actor=user)
        return user
    if existing is not None:
        user = authenticate(request, username=existing.email, password=form.cleaned_data["password"])
        if user is None or not user.is_active:  # SignInBackend also checks switched-off accounts' passwords
            form.add_error("password", _("This password is not right. You can also reset your password."))
            return None
        actions.invitation_accept(invitation=invitation, actor=user)
    else:
        user = actions.invitation_accept_with_new_account(
            invitation=invitation,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
        )
        user.backend = backends.PATH
    login(request, user)
    return user


# --- Registering a new team -----------------------------------------------------------------------
# The pages say the same whether or not an address already has an account; actions e-mail the rest.

REGISTRATION_EMAIL_KEY = "accounts_registration_email"


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.team_register(**form.registration())
        request.session[REGISTRATION_EMAIL_KEY] = actions.normalise_email(form.cleaned_data["email"])
        return redirect("accounts:register_sent")
    return render(request, "accounts/register.html", {"form": form})


@require_http_methods(["GET"])
def register_sent(request):
    return render(request, "accounts/register_sent.html", {"email": request.session.get(REGISTRATION_EMAIL_KEY)})


@require_http_methods(["GET", "POST"])
def register_resend(request):
    """Ask for a new confirmation link by e-mail address (the answer is the same for every address)."""
    form = RegistrationResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.team_registration_resend(email=form.cleaned_data["email"])
        request.session[REGISTRATION_EMAIL_KEY] = actions.normalise_email(form.cleaned_data["email"])
        return redirect("accounts:register_sent")
    return render(request, "accounts/register_resend.html", {"form": form})


@require_http_methods(["GET", "POST"])
def register_confirm(request, token):
    """The link from the e-mail: a page with one button, so a mail scanner opening the link changes nothing."""
    try:
        if request.method == "POST":
            user = actions.team_registration_confirm(token=token)
        else:
            user = actions.registration_user(token)
    except ActionRefused as refusal:
        context = {"messages_refused": refusal.messages, "form": RegistrationResendForm()}
        return render(request, "accounts/register_resend.html", context, status=410)
    if request.method != "POST":
        team = user.teams_contacted.order_by("pk").first()
        return render(request, "accounts/register_confirm.html", {"account": user, "team": team})
    login(request, user, backend=backends.PATH)
    team = teams_of(user).order_by("pk").first()
    if team is not None:
        switch_team(request, team.pk)
    messages.success(
        request,
        _(
            "Welcome to Grantdesk. Your e-mail address is confirmed: "
            "you can now invite colleagues and start an application."
        ),
    )
    response = redirect("portal:index")
    language.on_sign_in(request, user, response)
    return response
