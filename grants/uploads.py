"""Attachments: checked by what they contain, never by their name; at most 20 MB; names made harmless.

The size is enforced while the request is read (``SizeLimitUploadHandler``): past the
limit the bytes are counted but no longer kept, so a huge upload ends as a form error
rather than a full temporary file, a 413 or a 500.
"""

import contextlib
import functools
import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from grants.audit import record_event
from grants.models import Attachment
from workflow.exceptions import ActionRefused

# The audit action of a stored attachment, whoever stores it (editor, report, co-funder's link).
ATTACHMENT_ADDED = "attachment.added"
DEFAULT_LIMIT = 20 * 1024 * 1024
HEAD_BYTES = 4096
MAX_NAME_LENGTH = 120


def upload_limit() -> int:
    return int(getattr(settings, "GRANTDESK_MAX_UPLOAD_BYTES", DEFAULT_LIMIT))


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extension: str


PDF = FileKind("PDF", "application/pdf", "pdf")
PNG = FileKind("PNG", "image/png", "png")
JPEG = FileKind("JPEG", "image/jpeg", "jpg")
DOCX = FileKind("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = FileKind("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
ODT = FileKind("OpenDocument (ODT)", "application/vnd.oasis.opendocument.text", "odt")
KINDS = (PDF, DOCX, XLSX, ODT, PNG, JPEG)
ACCEPT = ",".join([f".{kind.extension}" for kind in KINDS] + [".jpeg"])


class UploadRefused(ValueError):
    """The file is not accepted; the message says why, in the user's language."""


class UnknownKind(UploadRefused):
    """The file is none of the kinds we accept (a logo, which accepts fewer, says so in its own words)."""


class OversizedUpload(UploadedFile):
    """Stands in for a file that went past the limit: its bytes were counted, not kept."""

    oversized = True

    def __init__(self, name, size, content_type):
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    """First in the chain: passes each file's bytes on up to the limit, then swallows the rest."""

    def __init__(self, request=None, limit=None):
        super().__init__(request)
        self.limit = limit or upload_limit()

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.oversized = True
            return None  # the handlers after this one never see these bytes
        return raw_data

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(self.file_name, self.received, self.content_type)
        return None  # let the next handler (memory or temporary file) hand over the file


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


NOT_ACCEPTED = gettext_lazy(
    "“%(name)s” is not a PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), PNG or JPEG file. "
    "We look at what the file contains, not at its name."
)


def detect_kind(upload) -> FileKind:
    """The file's kind, read from its content; UploadRefused when it is none we accept.

    Read once per upload: the form's clean and the action that stores the file both ask.
    """
    known = getattr(upload, "_grantdesk_kind", None)
    if known is not None:
        return known
    upload._grantdesk_kind = kind = _detect_kind(upload)
    return kind


def checked_kind(upload) -> FileKind:
    """`detect_kind` for an action: a file we do not accept is an ActionRefused with the reason."""
    try:
        return detect_kind(upload)
    except UploadRefused as refusal:
        raise ActionRefused(str(refusal)) from refusal


def _detect_kind(upload) -> FileKind:
    name = safe_filename(upload.name)
    limit = upload_limit()
    if getattr(upload, "oversized", False) or (upload.size or 0) > limit:
        raise UploadRefused(
            _("“%(name)s” is larger than %(limit)s MB; a file may be at most %(limit)s MB.")
            % {"name": name, "limit": limit // (1024 * 1024)}
        )
    if not upload.size:
        raise UploadRefused(_("“%(name)s” is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    detected = magic.from_buffer(head, mime=True)
    kind = None
    if head.startswith(b"%PDF-") and detected == PDF.content_type:
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n") and detected == PNG.content_type:
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff") and detected == JPEG.content_type:
        kind = JPEG
    elif head.startswith(b"PK\x03\x04"):
        kind = _office_kind(upload)
    if kind is None:
        raise UnknownKind(NOT_ACCEPTED % {"name": name})
    return kind


def _office_kind(upload) -> FileKind | None:
    """DOCX, XLSX and ODT are zip files: look at the parts inside, never extract them."""
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                small = archive.getinfo("mimetype").file_size <= 100
                if small and archive.read("mimetype").strip() == ODT.content_type.encode():
                    return ODT
                return None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names) and "word/document.xml" in names:
                    return DOCX
                if any(n.startswith("xl/") for n in names) and "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    return None


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def safe_filename(name: str, extension: str | None = None) -> str:
    """A display and download name that cannot climb directories or hide control characters.

    Only the last path component counts; control and format characters go, characters that
    mean something to a file system become "_", leading dots and spaces are stripped, and the
    name is cut to a sensible length (the extension kept). With `extension`, the name ends in
    the extension of what the file really is.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if extension:
        aliases = {"jpg": {"jpg", "jpeg"}}.get(extension, {extension})
        if ext.lower() not in aliases:
            stem = f"{stem}.{ext}" if dot and stem else (stem or ext)
            ext = extension
    stem = stem.strip(" .") or _("attachment")
    room = MAX_NAME_LENGTH - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" .") or _("attachment")
    return f"{stem}.{ext}" if ext else stem


def storage_name(kind: FileKind) -> str:
    """The stored file's name: random, nothing of the uploader's (Attachment.file's upload_to adds
    attachments/<year>/<month>/ under MEDIA_ROOT, which no URL serves)."""
    return f"{uuid.uuid4().hex}.{kind.extension}"


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def new_attachment(upload, kind: FileKind, *, application, uploaded_by, description: str = "", **fields):
    """An unsaved `Attachment` for a checked upload, its file already stored under a random name.

    The caller saves it inside its own transaction (and deletes the file if that fails).
    """
    attachment = Attachment(
        application=application,
        original_name=safe_filename(upload.name, kind.extension),
        content_type=kind.content_type,
        size=upload.size,
        sha256=sha256_of(upload),
        description=description[:200],
        uploaded_by=uploaded_by,
        **fields,
    )
    upload.seek(0)
    attachment.file.save(storage_name(kind), upload, save=False)
    return attachment


@contextlib.contextmanager
def attachment_added(upload, kind: FileKind, *, application, actor, description: str = "", audit=None, **fields):
    """The checked upload stored, saved as the application's `Attachment` and audited
    (`attachment.added`), for the block to use in the same transaction (a confirmation that
    needs it as evidence, say). Storage is no part of the transaction: if the block or the
    save fails, the stored file is removed again, so a refusal leaves neither row nor file.
    `audit`: more for the event's data (which report, came through a link).
    """
    attachment = new_attachment(
        upload, kind, application=application, uploaded_by=actor, description=description, **fields
    )
    try:
        with transaction.atomic():
            attachment.save()
            record_event(
                attachment,
                actor=actor,
                action=ATTACHMENT_ADDED,
                application=application,
                data={
                    "name": attachment.original_name,
                    "sha256": attachment.sha256,
                    "size": attachment.size,
                    **(audit or {}),
                },
            )
            yield attachment
    except BaseException:
        attachment.file.delete(save=False)
        raise


def add_attachment(upload, kind: FileKind, **kwargs) -> Attachment:
    """`attachment_added` with nothing more to do in its transaction."""
    with attachment_added(upload, kind, **kwargs) as attachment:
        return attachment


def upload_view(view):
    """Wrap a view that receives uploads: the size limit is in place before anything reads the
    body (CSRF's own check reads it too), then the view runs CSRF-protected as usual."""
    protected = csrf_protect(view)

    @csrf_exempt
    @functools.wraps(view)
    def limited(request, *args, **kwargs):
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return protected(request, *args, **kwargs)

    return limited
