"""Site-wide answers that no view and no Django error handler gives."""

from django.shortcuts import render


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
