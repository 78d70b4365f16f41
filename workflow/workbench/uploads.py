"""Evidence that staff upload for a co-funder: the same checks as the applicants' attachments.

`grants.uploads` reads the content (PDF, PNG and JPEG signatures with libmagic; DOCX,
XLSX and ODT by the parts inside the zip), enforces the 20 MB limit, and makes the name
harmless; the stored file gets a random name under MEDIA_ROOT, which no URL serves.
"""

from django.core.exceptions import ValidationError

from grants import uploads


def validate_upload(upload) -> uploads.FileKind:
    """The file's kind, or ValidationError with the reason in the user's language."""
    try:
        return uploads.detect_kind(upload)
    except uploads.UploadRefused as refusal:
        raise ValidationError(str(refusal)) from refusal


def attachment_added(*, application, upload, user, description: str = ""):
    """`grants.uploads.attachment_added` for a file the form has checked (see there)."""
    return uploads.attachment_added(
        upload, validate_upload(upload), application=application, actor=user, description=description
    )
