from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("me/", views.account, name="account"),
    path("me/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("team/", views.team, name="team"),
    path("team/invite/", views.invite, name="invite"),
    path("team/invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("team/switch/", views.switch, name="switch_team"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_sent, name="register_sent"),
    path("register/new-link/", views.register_resend, name="register_resend"),
    path("register/verify/<str:token>/", views.register_confirm, name="register_confirm"),
    # secrets.token_urlsafe's alphabet is exactly the slug converter's: nothing else reaches the lookup.
    path("invitation/<slug:token>/", views.accept_invitation, name="accept_invitation"),
]
