"""Template helpers for the site's look: Utrecht widgets, euro amounts and Dutch dates."""

from django import forms, template
from django.forms.widgets import Input
from django.utils import formats, timezone

from grants.money import format_euro

register = template.Library()

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
WIDGET_CLASSES = (
    (forms.CheckboxSelectMultiple, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.RadioSelect, "utrecht-radio-button utrecht-radio-button--html-input"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.FileInput, "gd-file-input"),
    (Input, TEXTBOX),
)
INVALID = {
    "utrecht-textbox": "utrecht-textbox--invalid",
    "utrecht-textarea": "utrecht-textarea--invalid",
    "utrecht-select": "utrecht-select--invalid",
    "utrecht-radio-button": "utrecht-radio-button--invalid",
}


def widget_class(widget, invalid: bool) -> str:
    css = next((css for widget_type, css in WIDGET_CLASSES if isinstance(widget, widget_type)), "")
    if not css:
        return ""
    if invalid:
        base = css.split()[0]
        if base in INVALID:
            css = f"{css} {INVALID[base]}"
    return css


@register.filter
def described_by(field) -> str:
    """The ids of the field's help text and error message, for aria-describedby."""
    if not field.auto_id:
        return ""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.simple_tag
def utrecht_widget(field):
    """The field's widget with the Utrecht class and aria-describedby (help text, errors).

    Django itself adds `required` and `aria-invalid`; groups (radio, checkboxes) carry
    aria-describedby on their fieldset instead (templates/forms/field.html).
    """
    widget = field.field.widget
    attrs = {}
    css = " ".join(filter(None, [widget.attrs.get("class", ""), widget_class(widget, bool(field.errors))]))
    if css:
        attrs["class"] = css
    ids = " ".join(filter(None, [widget.attrs.get("aria-describedby", ""), described_by(field)]))
    if ids and not field.use_fieldset:
        attrs["aria-describedby"] = ids
    return field.as_widget(attrs=attrs)


@register.filter
def field_kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect: ask first
        return "checkbox-group"
    if isinstance(widget, forms.RadioSelect):
        return "radio-group"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def euro(amount) -> str:
    """`€ 194.950,00` in Dutch, `€194,950.00` in English; "" for no amount."""
    return "" if amount is None or amount == "" else format_euro(amount)


@register.filter
def longdate(value) -> str:
    """`22 november 2026` in Dutch, `22 November 2026` in English."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "j F Y")
