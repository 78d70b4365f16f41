from django.contrib import admin
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from grants.accounts.language import set_language
from grants.accounts.views import LoginView, home
from grants.beheer.site import site as beheer_site


def favicon(request):
    """Asked for by browsers on their own (a PDF opened in a tab has no <link rel="icon">). The URL is
    looked up per request: production's hashed static names exist only after collectstatic. Not a
    permanent redirect: a browser would keep asking for that hashed name after the icon changed."""
    return HttpResponseRedirect(static("img/favicon.svg"))


# Only a reason the project wrote reaches the page (400 and 500 are Django's own, with our templates).
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    # The admin's "change password" link: the site's own page (audited, counted by django-axes), as in Beheer.
    path("admin/password_change/", RedirectView.as_view(pattern_name="accounts:password_change")),
    path("admin/", admin.site.urls),
    path("beheer/", beheer_site.urls),  # a funder's own administrators (grants/beheer)
    path("workbench/", include("workflow.workbench.urls")),
    path("deadlines/", include("workflow.deadline_urls")),
    path("finance/", include("finance.urls")),
    path("letters/", include("documents.urls")),
    # Also under the plain name "login" (settings.LOGIN_URL) that Django and the workbench reverse.
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/", include("grants.accounts.urls")),
    path("apply/", include("grants.apply.urls")),
    path("portal/", include("grants.portal.urls")),
    path("", home, name="home"),
    path("favicon.ico", favicon),
]
