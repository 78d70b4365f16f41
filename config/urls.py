from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("workbench/", include("workflow.workbench.urls")),
    path("deadlines/", include("workflow.deadline_urls")),
    path("finance/", include("finance.urls")),
    path("letters/", include("documents.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False), name="home"),
]
