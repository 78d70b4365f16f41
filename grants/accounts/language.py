"""Dutch first: a page is Dutch unless the reader chose English with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a civil servant
whose browser happens to be English would get an English portal and English refusals.
The choice made with the switch (Django's language cookie, set by `set_language`) still wins,
and a signed-in user's choice is kept on the account (`User.preferred_language`): signing in
on another device brings it along. The latest choice wins: one made on the sign-in page
before signing in becomes the account's.
"""

from django.conf import settings
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from grants.models import User


def _offered(language) -> bool:
    return language in dict(settings.LANGUAGES)


def remember(user, language: str) -> None:
    if _offered(language) and user.preferred_language != language:
        user.preferred_language = language
        User.objects.filter(pk=user.pk).update(preferred_language=language)


@require_POST
def set_language(request):
    """Django's language switch; for a signed-in user the choice is also kept on the account."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        remember(request.user, request.POST.get("language", ""))
    return response


def on_sign_in(request, user, response) -> None:
    """This device's choice, if it made one, becomes the account's; otherwise the account's applies here."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if _offered(chosen):
        remember(user, chosen)
    elif _offered(user.preferred_language) and user.preferred_language != settings.LANGUAGE_CODE:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


class DutchFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
