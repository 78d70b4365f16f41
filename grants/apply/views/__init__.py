from .attachments import attachment_delete, attachment_download, attachments
from .editor import editor, step
from .schemes import application_start, scheme_detail, scheme_list
from .summary import submit, summary

__all__ = [
    "application_start",
    "attachment_delete",
    "attachment_download",
    "attachments",
    "editor",
    "scheme_detail",
    "scheme_list",
    "step",
    "submit",
    "summary",
]
