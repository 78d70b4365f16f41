"""The Awb calendar's pages, mounted at /deadlines/ under the namespace `deadlines`."""

from django.urls import path

from . import deadline_views as views

app_name = "deadlines"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("applications/<int:pk>/", views.application_terms, name="application"),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="application_action"),
    path("extensions/<int:pk>/", views.extension_detail, name="extension"),
    path("objections/<int:pk>/", views.objection_detail, name="objection"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/extension/", views.request_extension, name="request_extension"),
]
