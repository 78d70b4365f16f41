"""What taking a staff role away leaves behind, said on Beheer's confirmation page before it happens."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grants.models import Decision, FunderRole, Review
from workflow.states import DecisionStatus, ReviewStatus, Role

OPEN_REVIEW_STATES = (ReviewStatus.ASSIGNED, ReviewStatus.NO_CONFLICT)


def consequences_of_taking(role: FunderRole) -> list[str]:
    """Work the person still has at this funder in this role, and a role no one else would hold."""
    found = []
    if role.role == Role.REVIEWER:
        reviews = Review.objects.filter(
            reviewer_id=role.user_id, status__in=OPEN_REVIEW_STATES, application__scheme__funder_id=role.funder_id
        ).count()
        if reviews:
            found.append(
                ngettext(
                    "One review is still open with this person; an officer assigns another reviewer on the "
                    "application.",
                    "%(count)s reviews are still open with this person; an officer assigns other reviewers on the "
                    "applications.",
                    reviews,
                )
                % {"count": reviews}
            )
    if role.role == Role.OFFICER:
        prepared = Decision.objects.filter(
            prepared_by_id=role.user_id, status=DecisionStatus.PREPARED, application__scheme__funder_id=role.funder_id
        ).count()
        if prepared:
            found.append(
                ngettext(
                    "This person prepared one decision that is not taken yet; it stays for a decider.",
                    "This person prepared %(count)s decisions that are not taken yet; they stay for a decider.",
                    prepared,
                )
                % {"count": prepared}
            )
    if role.role in (Role.DECIDER, Role.FINANCE, Role.OFFICER):
        others = FunderRole.objects.filter(funder_id=role.funder_id, role=role.role).exclude(pk=role.pk)
        if not others.exists():
            found.append(
                _("No one else holds the role %(role)s at %(funder)s: its work stops until someone is given it.")
                % {"role": role.get_role_display(), "funder": role.funder}
            )
    return found
