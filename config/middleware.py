"""Site-wide answers that no view and no Django error handler gives."""

from urllib.parse import unquote

from django.core.exceptions import BadRequest
from django.shortcuts import render


class RefuseNulMiddleware:
    """A NUL character (%00) in the path, the query string or a cookie is answered with 400 (templates/400.html).

    No address of ours contains one, and PostgreSQL refuses it in every text parameter: a view that
    looks up what the address carries (an invitation token, a batch name, a search) would fail with
    a 500. A session cookie is looked up the same way once anything reads the session. Listed after
    LocaleMiddleware, so the page is in the reader's language; nothing before it puts the path, the
    query or a cookie into a database query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            raise BadRequest("NUL character in the address")
        if any("\x00" in value for value in request.COOKIES.values()):
            raise BadRequest("NUL character in a cookie")
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """Django answers a wrong method (`require_POST`, a GET on a form's action) with an empty 405, and
    has no handler to give it a page: this gives it the site's page, keeping the `Allow` header.

    Inside CSPMiddleware, so that the page's script nonce is in the policy that middleware writes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
