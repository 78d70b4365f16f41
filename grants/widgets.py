"""Form widgets shared by the portal's, the workbench's and the finance pages' forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes that get a search field once there are many (`static/js/checkbox-search.js`).

    Typing narrows the list to the options whose text matches (accents and case ignored); ticked
    options stay in view, so a choice is never hidden. Without JavaScript: the plain list.
    The texts the script shows come from here, in the page's language.
    """

    def __init__(self, attrs=None, choices=(), *, search_label=None):
        attrs = {
            **(attrs or {}),
            "data-search": search_label or _("Search the list"),
            # "{shown}" and "{total}" are filled in by the script.
            "data-search-count": _("{shown} of {total} shown"),
        }
        super().__init__(attrs, choices)


class DateInput(forms.DateInput):
    """A date picker (`<input type=date>`) with its value written as 2026-12-14.

    The browser accepts only that ISO form in `value`; the localized "14-12-2026" Django writes by
    default is dropped, so a default date (an answer term, today) vanished and a required field
    showed empty. What the browser posts back is ISO too, which every DateField reads.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
