"""Dutch first: a page is Dutch unless the reader chose English with the language switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a civil servant
whose browser happens to be English would get an English portal and English refusals.
The choice made with the switch (Django's language cookie, set by `set_language`) still wins.
"""


class DutchFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
