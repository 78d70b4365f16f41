"""Form widgets shared by the portal's forms."""

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
