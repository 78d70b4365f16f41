"""HTML to PDF with WeasyPrint. The ONLY module that imports WeasyPrint.

Letters may hold text an admin or officer typed, so the renderer fetches nothing from
the network or the file system at large: `LetterURLFetcher` serves the project's own
static files (through the staticfiles finders) and the funders' uploaded logos, and
refuses every other URL. One `FontConfiguration` is reused per process (it is the
expensive part of a first render); fonts are installed system fonts referred to by
family name (fonts-liberation2, installed by bin/setup).

The letter stylesheet (`documents/letter.css`) is parsed once per process, through the
same restricted fetcher, and given to every render (`letter_stylesheet`); the templates
do not link it. It is the only stylesheet besides WeasyPrint's own, so its place in the
cascade (a "user" sheet rather than an "author" one) changes nothing in the output.
"""

import functools
import io
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


# An archival variant: PDF/A-3b (ISO 19005-3, level B), which WeasyPrint 70 writes with an sRGB output intent.
PDF_VARIANT = "pdf/a-3b"
STATIC_SCHEME = "grantdesk-static:"
MEDIA_SCHEME = "grantdesk-media:"
# Uploaded files a letter may show: the funders' logos only, never applicants' attachments.
MEDIA_ALLOWED_DIRS = ("funders/logos/",)
# Every letter's stylesheet (a static file), applied by `render_pdf`.
LETTER_STYLESHEET = "documents/letter.css"


class RefusedURL(ValueError):
    """A letter asked for something outside the project's static files and logos."""


def static_url(path: str) -> str:
    """The URL a letter template uses for a static file: `{{ "documents/letter.css"|letter_static }}`."""
    return STATIC_SCHEME + path


def media_url(name: str) -> str:
    return MEDIA_SCHEME + name


class LetterURLFetcher(URLFetcher):
    """Serves static files and logos; refuses http, https, file and everything else.

    `requested` keeps every URL asked for and `refused` the ones refused, so a test can
    show that rendering user text asks for nothing outside.
    """

    def __init__(self):
        super().__init__(timeout=1, allow_redirects=False, fail_on_errors=False)
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        if url.startswith("data:"):
            return super().fetch(url, headers)  # urllib's DataHandler: no I/O
        if url.startswith(STATIC_SCHEME):
            try:
                path = finders.find(unquote(url.removeprefix(STATIC_SCHEME)).lstrip("/"))
            except Exception:  # SuspiciousFileOperation for ../ and the like
                path = None
            if path:
                return self._file(Path(path), url)
        elif url.startswith(MEDIA_SCHEME):
            name = unquote(url.removeprefix(MEDIA_SCHEME)).lstrip("/")
            root = Path(settings.MEDIA_ROOT).resolve()
            path = (root / name).resolve()
            allowed = any(path.is_relative_to(root / folder) for folder in MEDIA_ALLOWED_DIRS)
            if allowed and path.is_file():
                return self._file(path, url)
        self.refused.append(url)
        logger.warning("Letter rendering refused the URL %s", url[:200])
        raise RefusedURL(f"Refused: {url[:200]}")

    @staticmethod
    def _file(path: Path, url: str) -> URLFetcherResponse:
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


@functools.cache
def font_config() -> FontConfiguration:
    """One per process: building it reads every installed font."""
    return FontConfiguration()


@dataclass(frozen=True)
class LetterStylesheet:
    css: CSS
    fetcher: LetterURLFetcher


@functools.cache
def letter_stylesheet() -> LetterStylesheet:
    """`documents/letter.css`, parsed once per process, like `font_config()` (an edit needs a restart).

    Parsed through a `LetterURLFetcher`, so an `@import` or `url()` in it is held to the same
    rules as the letter itself; `url()`s of properties are fetched at render time by the
    render's own fetcher.
    """
    fetcher = LetterURLFetcher()
    css = CSS(url=static_url(LETTER_STYLESHEET), url_fetcher=fetcher, font_config=font_config())
    return LetterStylesheet(css, fetcher)


@dataclass
class RenderedPDF:
    content: bytes
    page_count: int
    fetcher: LetterURLFetcher


def render_pdf(html: str) -> RenderedPDF:
    """Render a complete HTML document (title, author meta and lang come from the HTML) to PDF/A.

    The letter stylesheet comes from `letter_stylesheet()` (parsed once per process).
    """
    fetcher = LetterURLFetcher()
    stylesheets = [letter_stylesheet().css]
    document = HTML(string=html, base_url=None, url_fetcher=fetcher).render(
        font_config=font_config(), stylesheets=stylesheets
    )
    buffer = io.BytesIO()
    document.write_pdf(buffer, pdf_variant=PDF_VARIANT)
    return RenderedPDF(buffer.getvalue(), len(document.pages), fetcher)
