"""What both kinds of finance page share: refusals shown as messages."""

from django.contrib import messages

from workflow.exceptions import ActionRefused


def show_refused(request, refused: ActionRefused) -> None:
    for message in refused.messages:
        messages.error(request, message)
