"""Evidence that staff upload for a co-funder: the same checks as the applicants' attachments.

`grants.uploads` reads the content (PDF, PNG and JPEG signatures with libmagic; DOCX,
XLSX and ODT by the parts inside the zip), enforces the 20 MB limit, and makes the name
harmless; the stored file gets a random name under MEDIA_ROOT, which no URL serves.
"""

from django.core.exceptions import ValidationError

from grants import uploads
from grants.models import Attachment


def validate_upload(upload) -> uploads.FileKind:
    """The file's kind, or ValidationError with the reason in the user's language."""
    try:
        return uploads.detect_kind(upload)
    except uploads.UploadRefused as refusal:
        raise ValidationError(str(refusal)) from refusal


def store_attachment(*, application, upload, user, description: str = "") -> Attachment:
    kind = validate_upload(upload)
    attachment = uploads.new_attachment(
        upload, kind, application=application, uploaded_by=user, description=description
    )
    attachment.save()
    return attachment
