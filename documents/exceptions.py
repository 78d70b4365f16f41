from django.core.exceptions import PermissionDenied


class LetterRefused(Exception):
    """A letter service refused; `messages` are translated and shown to the user."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("; ".join(str(message) for message in self.messages))


class LetterPermissionDenied(LetterRefused, PermissionDenied):
    pass
