from django.urls import path
from django.views.generic import TemplateView

app_name = "apply"
urlpatterns = [
    # Placeholder until the open-schemes page lands.
    path("", TemplateView.as_view(template_name="base.html"), name="schemes"),
]
