"""Why an action was refused, in words the user reads."""


class ActionRefused(Exception):
    """An action did not happen; `messages` say why, already translated."""

    def __init__(self, messages):
        if isinstance(messages, str):
            messages = [messages]
        self.messages = [str(message) for message in messages]
        super().__init__(" ".join(self.messages))


class PermissionRefused(ActionRefused):
    pass


class TransitionRefused(ActionRefused):
    pass
