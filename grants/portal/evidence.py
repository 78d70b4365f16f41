"""A co-funder confirms its pledge through its link and may attach its evidence (a letter, a board decision).

The file is checked the way the application editor checks attachments (`grants.uploads`:
by content, at most 20 MB, a harmless name, a random stored name) and stored as the
application's `Attachment` without an uploader account; the audit event says it came
through the personal link. Attachment and confirmation commit together, or neither does.
"""

from django.utils.translation import gettext as _

from grants import uploads
from grants.models import CoFundingPledge
from workflow import actions


def confirm_with_evidence(*, pledge: CoFundingPledge, upload=None) -> CoFundingPledge:
    if upload is None:
        return actions.pledge_confirm(pledge=pledge, via_token=True)
    kind = uploads.checked_kind(upload)
    description = _("Evidence of co-funding by %(cofunder)s") % {"cofunder": pledge.cofunder.name}
    with uploads.attachment_added(
        upload, kind, application=pledge.application, actor=None, description=description, audit={"via_token": True}
    ) as attachment:
        return actions.pledge_confirm(pledge=pledge, via_token=True, evidence=attachment)
