"""Letter texts in Beheer: /admin/'s `LetterTextAdmin`, preview included, for the user's own schemes."""

from django.contrib import admin

from grants.beheer.scoping import FunderScopedMixin
from grants.beheer.site import site

from .admin import LetterTextAdmin
from .models import LetterText


@admin.register(LetterText, site=site)
class BeheerLetterTextAdmin(FunderScopedMixin, LetterTextAdmin):
    funder_lookup = "scheme__funder"
