"""`FunderScopedMixin`: a ModelAdmin or inline of /admin/, narrowed to the funders a user administers.

Django's admin asks for model permissions (`grants.change_scheme`), which funder administrators do
not hold and must not: they would open every funder's rows. Here every permission is the rule
`grants.administer_funder` on the object's funder, asked of django-rules directly so that not even a
superuser's flag widens it. Lists are filtered, another funder's object is 404, foreign-key choices
are the user's own funders (their schemes, their staff), and saving checks the rule once more.
"""

import rules
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from grants.models import Funder, Scheme, User
from grants.rules import administered_funder_ids

PERMISSION = "grants.administer_funder"


def choices_for(model, user):
    """The rows of `model` a foreign key may point at in Beheer; unknown models fail loudly (closed)."""
    funder_ids = administered_funder_ids(user)
    if model is Funder:
        return Funder.objects.filter(pk__in=funder_ids)
    if model is Scheme:
        return Scheme.objects.filter(funder_id__in=funder_ids).select_related("funder")
    if model is User:  # colleagues: whoever holds some role at one of the user's funders
        return User.objects.filter(funder_roles__funder_id__in=funder_ids).distinct()
    raise ImproperlyConfigured(f"Beheer does not know which {model._meta.label} a funder administrator may choose.")


class FunderScopedMixin:
    # The lookup from the model to its Funder ("" for Funder itself).
    funder_lookup = "funder"
    # Autocomplete would need a User admin in Beheer; the scoped choices are short selects instead.
    autocomplete_fields = ()

    def administers(self, request, obj=None) -> bool:
        """With `obj` (the object, or an inline's parent): its funder; without: any funder."""
        return request.user.is_active and rules.has_perm(PERMISSION, request.user, obj)

    def get_queryset(self, request):
        lookup = f"{self.funder_lookup}__in" if self.funder_lookup else "pk__in"
        return super().get_queryset(request).filter(**{lookup: administered_funder_ids(request.user)})

    def get_object(self, request, object_id, from_field=None):
        # Django's admin redirects to its index for a missing object; another funder's is simply not there.
        obj = super().get_object(request, object_id, from_field)
        if obj is None or not self.administers(request, obj):
            raise Http404
        return obj

    def has_module_permission(self, request):
        return self.administers(request)

    def has_view_permission(self, request, obj=None):
        return self.administers(request, obj)

    def has_add_permission(self, request, obj=None):
        return self.administers(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.administers(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.administers(request, obj)

    def get_changeform_initial_data(self, request):
        """A new row of a model with a funder starts at the user's funder when they administer only one."""
        initial = super().get_changeform_initial_data(request)
        if self.funder_lookup == "funder" and "funder" not in initial:
            funders = choices_for(Funder, request.user)
            if len(funders) == 1:
                initial["funder"] = funders[0].pk
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = choices_for(db_field.related_model, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = choices_for(db_field.related_model, request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request):
        """A related filter lists only values in the user's own rows, never every funder's name."""
        return [self._scoped_filter(entry) for entry in super().get_list_filter(request)]

    def _scoped_filter(self, entry):
        if not isinstance(entry, str):
            return entry
        model = self.model
        for name in entry.split("__"):
            field = model._meta.get_field(name)
            model = field.related_model
            if model is None:
                return entry
        return (entry, admin.RelatedOnlyFieldListFilter)

    def save_model(self, request, obj, form, change):
        if not self.administers(request, obj):  # the form's choices already refuse; this is the lock
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if not self.administers(request, obj):
            raise PermissionDenied
        super().delete_model(request, obj)
