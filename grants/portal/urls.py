from django.urls import path
from django.views.generic import TemplateView

app_name = "portal"
urlpatterns = [
    # Placeholder until the team's application list lands.
    path("", TemplateView.as_view(template_name="base.html"), name="index"),
]
