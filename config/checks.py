"""Deployment checks of Grantdesk's own settings, run by `manage.py check --deploy`."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 - names, not an address to bind


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """Every e-mail and letter links to GRANTDESK_SITE_URL: sign-in, invitations, password resets,
    letters, co-funders' pledge links. Left at its default, production mail points at localhost."""
    if not settings.PRODUCTION:
        return []
    site = urlsplit(settings.SITE_URL)
    if site.scheme == "https" and site.hostname and site.hostname not in LOCAL_HOSTS:
        return []
    return [
        Warning(
            f"GRANTDESK_SITE_URL is {settings.SITE_URL!r}: the links in every e-mail and letter "
            "(sign-in, invitations, password resets, letters, co-funders' links) would point there.",
            hint="Set GRANTDESK_SITE_URL to the site's public https address, e.g. https://subsidies.example.nl.",
            id="grantdesk.W001",
        )
    ]
