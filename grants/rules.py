"""Who may do what to which object: object-level permissions with `rules`.

Staff roles are held per funder, so every staff predicate first finds the funder
the object belongs to. Applicants act through their team; reviewers through their
assignment, and never where they have a conflict of interest. The roles a user
holds are read once per user object and cached on it.
"""

import rules
from django.db.models import Q

from workflow.states import REVIEW_SHOWS_APPLICATION_STATES, DecisionStatus, PledgeStatus, ReviewStatus, Role

from .models import (
    Application,
    CoFundingPledge,
    Decision,
    Funder,
    Organisation,
    Review,
    Scheme,
    Team,
)


def funder_of(obj) -> Funder | None:
    if isinstance(obj, Funder):
        return obj
    if isinstance(obj, Scheme):
        return obj.funder
    if isinstance(obj, Application):
        return obj.scheme.funder
    for attribute in ("application", "scheme", "funder"):
        related = getattr(obj, attribute, None)
        if related is not None:
            return funder_of(related)
    return None


def application_of(obj) -> Application | None:
    if isinstance(obj, Application):
        return obj
    return getattr(obj, "application", None)


def roles_of(user) -> dict[int, set[str]]:
    """{funder id: {roles}} for `user`, read once and kept on the user object."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_grantdesk_roles", None)
    if cached is None:
        cached = {}
        for funder_id, role in user.funder_roles.values_list("funder_id", "role"):
            cached.setdefault(funder_id, set()).add(role)
        user._grantdesk_roles = cached
    return cached


def administered_funder_ids(user) -> set[int]:
    """The funders where `user` holds the admin role: Beheer (`grants.beheer`) shows nothing of any other."""
    return {funder_id for funder_id, held in roles_of(user).items() if Role.ADMIN in held}


def _has_role(*roles):
    @rules.predicate(name=f"has_role_{'_or_'.join(roles)}")
    def predicate(user, obj=None) -> bool:
        if obj is None:
            return any(set(roles) & held for held in roles_of(user).values())
        funder = funder_of(obj)
        return funder is not None and bool(set(roles) & roles_of(user).get(funder.pk, set()))

    return predicate


is_officer = _has_role(Role.OFFICER)
is_decider = _has_role(Role.DECIDER)
is_finance = _has_role(Role.FINANCE)
is_funder_admin = _has_role(Role.ADMIN)
is_reviewer_role = _has_role(Role.REVIEWER)
is_staff_of_funder = _has_role(Role.OFFICER, Role.DECIDER, Role.FINANCE, Role.ADMIN)


@rules.predicate
def is_team_member(user, obj) -> bool:
    if not user.is_authenticated or obj is None:
        return False
    team = obj if isinstance(obj, Team) else getattr(application_of(obj), "team", None)
    if team is None:
        return False
    cached = getattr(user, "_grantdesk_team_ids", None)
    if cached is None:
        cached = set(user.team_memberships.values_list("team_id", flat=True))
        user._grantdesk_team_ids = cached
    return team.pk in cached


@rules.predicate
def is_reviewer_of(user, obj) -> bool:
    application = application_of(obj)
    if not user.is_authenticated or application is None:
        return False
    return application.reviews.filter(reviewer=user).exists()


@rules.predicate
def declared_no_conflict(user, obj) -> bool:
    """The user reviews the application and has declared no conflict of interest (or submitted).

    Being assigned is not enough to read the application: until the declaration the reviewer
    sees only its reference and title, not its plan or files. (`is_reviewer_of`, any status,
    still keeps a reviewer from deciding.)
    """
    application = application_of(obj)
    if not user.is_authenticated or application is None:
        return False
    return application.reviews.filter(reviewer=user, status__in=REVIEW_SHOWS_APPLICATION_STATES).exists()


@rules.predicate
def has_conflict(user, obj) -> bool:
    """The user belongs to an applicant school, its board, or a partner of the application."""
    application = application_of(obj)
    if not user.is_authenticated or application is None:
        return False
    declared = application.reviews.filter(reviewer=user, status=ReviewStatus.CONFLICT_DECLARED)
    return declared.exists() or organisations_in_conflict(application).filter(members=user).exists()


def organisations_in_conflict(application):
    school_ids = application.schools.values("pk")
    board_ids = application.schools.exclude(board=None).values("board_id")
    partner_ids = application.partners.values("pk")
    return Organisation.objects.filter(Q(pk__in=school_ids) | Q(pk__in=board_ids) | Q(pk__in=partner_ids))


@rules.predicate
def prepared_pending_decision(user, obj) -> bool:
    """Four eyes: the officer who prepared a decision may not also take it."""
    application = application_of(obj)
    if application is None:
        return False
    if isinstance(obj, Decision):
        return obj.prepared_by_id == user.pk
    return application.decisions.filter(status=DecisionStatus.PREPARED, prepared_by=user).exists()


@rules.predicate
def is_pledge_cofunder(user, obj) -> bool:
    return isinstance(obj, CoFundingPledge) and obj.cofunder.members.filter(pk=user.pk).exists()


@rules.predicate
def pledge_unanswered(user, obj) -> bool:
    """A confirmed pledge is the co-funder's word: the team may not take it back for it."""
    return isinstance(obj, CoFundingPledge) and obj.status == PledgeStatus.PLEDGED


@rules.predicate
def is_assigned_reviewer(user, obj) -> bool:
    return isinstance(obj, Review) and obj.reviewer_id == user.pk


may_review = declared_no_conflict & ~has_conflict

# Never name a rule like one of Django's model permissions (view_/add_/change_/delete_<model>):
# the admin asks for those without an object, and a rule answering "has some role somewhere"
# would open every funder's rows in /admin/ to a staff account holding any role.
rules.add_perm("grants.see_funder", is_staff_of_funder | is_reviewer_role)
rules.add_perm("grants.see_application", is_team_member | is_staff_of_funder | may_review)
rules.add_perm("grants.edit_application", is_team_member)
rules.add_perm("grants.act_for_team", is_team_member)
rules.add_perm("grants.screen_application", is_officer)
rules.add_perm("grants.review_application", may_review)
rules.add_perm("grants.act_on_review", is_assigned_reviewer)
rules.add_perm("grants.decide_application", is_decider & ~prepared_pending_decision & ~is_reviewer_of)
rules.add_perm("grants.confirm_pledge", is_pledge_cofunder | is_officer)
rules.add_perm("grants.withdraw_pledge", is_pledge_cofunder | (is_team_member & pledge_unanswered) | is_officer)
rules.add_perm("grants.assess_report", is_officer)
rules.add_perm("grants.see_report", is_team_member | is_staff_of_funder)
rules.add_perm("grants.manage_finance", is_finance)
rules.add_perm("grants.approve_payment", is_finance | is_decider)
rules.add_perm("grants.administer_funder", is_funder_admin)
