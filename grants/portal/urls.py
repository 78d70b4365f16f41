from django.urls import path

from . import pledges, views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="application_action"),
    path("applications/<int:pk>/pledges/<int:pledge_pk>/link/", views.pledge_link_again, name="pledge_link"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("pledges/<str:token>/", pledges.pledge, name="pledge"),
]
