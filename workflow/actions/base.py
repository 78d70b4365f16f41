"""What every action does first: lock the row, check the permission."""

from django.utils.translation import gettext as _

from ..exceptions import PermissionRefused


def lock(instance):
    """Re-read `instance` with a row lock held until the transaction ends.

    `of=("self",)` locks only this row, not the rows select_related joins in.
    """
    model = type(instance)
    return model.objects.select_for_update(of=("self",)).get(pk=instance.pk)


def lock_application(application_or_pk):
    from grants.models import Application

    pk = getattr(application_or_pk, "pk", application_or_pk)
    return Application.objects.select_for_update(of=("self",)).select_related("scheme__funder", "team").get(pk=pk)


def require(actor, permission: str, obj, message: str | None = None) -> None:
    if actor is None or not actor.has_perm(permission, obj):
        raise PermissionRefused(message or _("You are not allowed to do this."))
