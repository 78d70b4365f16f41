from django.contrib import admin
from django.urls import include, path

from grants.accounts.views import home

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("workbench/", include("workflow.workbench.urls")),
    path("deadlines/", include("workflow.deadline_urls")),
    path("finance/", include("finance.urls")),
    path("letters/", include("documents.urls")),
    path("accounts/", include("grants.accounts.urls")),
    path("apply/", include("grants.apply.urls")),
    path("portal/", include("grants.portal.urls")),
    path("", home, name="home"),
]
