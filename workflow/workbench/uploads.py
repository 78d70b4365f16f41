"""Evidence that staff upload for a co-funder: the same checks as the applicants' attachments.

`grants.apply.uploads` reads the content (PDF, PNG and JPEG signatures with libmagic; DOCX,
XLSX and ODT by the parts inside the zip), enforces the 20 MB limit, and makes the name
harmless; the stored file gets a random name under MEDIA_ROOT, which no URL serves.
"""

from django.core.exceptions import ValidationError

from grants.apply import uploads
from grants.models import Attachment


def validate_upload(upload) -> uploads.FileKind:
    """The file's kind, or ValidationError with the reason in the user's language."""
    try:
        return uploads.detect_kind(upload)
    except uploads.UploadRefused as refusal:
        raise ValidationError(str(refusal)) from refusal


def store_attachment(*, application, upload, user, description: str = "") -> Attachment:
    kind = validate_upload(upload)
    attachment = Attachment(
        application=application,
        original_name=uploads.safe_filename(upload.name, kind.extension),
        content_type=kind.content_type,
        size=upload.size,
        sha256=uploads.sha256_of(upload),
        description=description,
        uploaded_by=user,
    )
    upload.seek(0)
    attachment.file.save(uploads.storage_name(kind), upload, save=False)
    attachment.save()
    return attachment
