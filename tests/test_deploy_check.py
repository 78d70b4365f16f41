"""`manage.py check --deploy` in production mode reports nothing (issue 2, point 2)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GRANTDESK_"))}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "GRANTDESK_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "subsidies.example.nl",
    "GRANTDESK_SITE_URL": "https://subsidies.example.nl",
}


def test_check_deploy_reports_nothing_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_development_mode_would_fail_the_deploy_check():
    """The test above can fail: without production mode the same check complains."""
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W" in result.stdout + result.stderr


def test_the_deploy_check_warns_when_mail_would_link_to_localhost():
    """Without GRANTDESK_SITE_URL every e-mail in production linked to http://localhost:8000."""
    production = {key: value for key, value in PRODUCTION.items() if key != "GRANTDESK_SITE_URL"}
    result = manage("check", "--deploy", **production)
    assert "grantdesk.W001" in result.stderr + result.stdout, result.stdout + result.stderr
    assert "http://localhost:8000" in result.stderr + result.stdout

    result = manage("check", "--deploy", **{**production, "GRANTDESK_SITE_URL": "http://subsidies.example.nl"})
    assert "grantdesk.W001" in result.stderr + result.stdout, "not https"
