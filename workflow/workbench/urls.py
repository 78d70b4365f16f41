"""The staff workbench, mounted at /workbench/ under the namespace `workbench`."""

from django.urls import path

from . import views

app_name = "workbench"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("queue/", views.queue, name="queue"),
    path("queue/bulk/", views.bulk_action, name="bulk"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="application_action"),
    path("reviews/", views.review_inbox, name="review_inbox"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/<slug:action>/", views.review_action, name="review_action"),
    path("schemes/<int:pk>/ranking/", views.ranking_page, name="ranking"),
    path("schemes/<int:pk>/ranking/prepare/", views.ranking_prepare, name="ranking_prepare"),
    path("schemes/<int:pk>/ranking/<int:round_pk>/decide/", views.ranking_decide, name="ranking_decide"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
]
