"""Dutch first: a page is Dutch unless the reader chose English with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a civil servant
whose browser happens to be English would get an English portal and English refusals.
The choice made with the switch (Django's language cookie, set by `set_language`) still wins,
and a signed-in user's choice is kept on the account (`User.preferred_language`): signing in
on any device brings it along. A choice made in this browser session before signing in (on the
sign-in page, say) becomes the account's; a cookie left by somebody else, or from long ago, does
not. Signing out forgets the cookie, so the next person at a shared computer starts in Dutch.
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


# Set in the session when somebody not signed in uses the switch; the session survives signing in.
CHOSEN_BEFORE_SIGN_IN = "language_chosen_before_sign_in"


@require_POST
def set_language(request):
    """Django's language switch; for a signed-in user the choice is also kept on the account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        remember(request.user, language)
    elif _offered(language):
        request.session[CHOSEN_BEFORE_SIGN_IN] = language
    return response


def on_sign_in(request, user, response) -> None:
    """A choice made in this session before signing in becomes the account's; otherwise the
    account's language applies in this browser, whatever cookie it had."""
    chosen = request.session.pop(CHOSEN_BEFORE_SIGN_IN, None)
    if _offered(chosen):
        remember(user, chosen)
        return
    language = user.preferred_language if _offered(user.preferred_language) else settings.LANGUAGE_CODE
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


def on_sign_out(response) -> None:
    response.delete_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class DutchFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
