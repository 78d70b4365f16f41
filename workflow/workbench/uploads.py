"""Evidence uploads: checked by content (python-magic), not by name, and at most 20 MB.

The applicant portal keeps its own validator in ``grants``; when it exists this module
uses it, so staff and applicants are held to the same rules.
"""

import hashlib

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grants.models import Attachment

ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.oasis.opendocument.text": "ODT",
}


def validate_upload(upload) -> str:
    """Return the detected content type or raise ValidationError."""
    limit = getattr(settings, "GRANTDESK_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
    if upload.size > limit:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    upload.seek(0)
    detected = magic.from_buffer(upload.read(8192), mime=True)
    upload.seek(0)
    if detected not in ALLOWED_TYPES:
        raise ValidationError(
            _("This file type is not accepted; upload %(types)s.") % {"types": ", ".join(ALLOWED_TYPES.values())}
        )
    return detected


def store_attachment(*, application, upload, user, description: str = "") -> Attachment:
    content_type = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Attachment.objects.create(
        application=application,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        description=description,
        uploaded_by=user,
    )
