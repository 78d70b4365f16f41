"""Builds the demo data set of ``grants.demo.data``, idempotently.

Configuration rows (users, funders, schemes, organisations, teams) are found by
natural keys (e-mail, slug, BRIN, name) with ``get_or_create`` and never updated,
so a second run changes nothing. An application is found by its team and title;
one that exists is left as it is. A new application is moved to its state through
the same ``workflow.actions`` a person would use, so audit events, decisions,
letters and e-mails exist as in real life.

This module is a composition root, like a management command: it uses the
workflow on top of the domain and is never imported by the domain itself.
"""

import contextlib
import datetime
import random
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from finance import services as finance_services
from finance.models import PayoutBatch
from grants.models import (
    Application,
    BudgetLine,
    CoFundingPledge,
    Funder,
    FunderRole,
    InformationRequest,
    Organisation,
    Report,
    RubricCriterion,
    Scheme,
    Signatory,
    Team,
    TeamMembership,
    User,
    add_months,
)
from grants.money import to_money
from workflow import actions
from workflow.actions import money
from workflow.states import DecisionKind, PaymentStatus, PledgeStatus

from . import data

STAFF_LOCAL_PARTS = ("officer", "reviewer1", "reviewer2", "reviewer3", "decider", "finance", "admin")


@dataclass
class Account:
    email: str
    role: str
    where: str


@dataclass
class Result:
    created: dict = field(default_factory=dict)
    accounts: list = field(default_factory=list)
    applications_built: int = 0
    applications_existing: int = 0

    def count(self, model, created: bool) -> None:
        if created:
            with translation.override("en"):
                name = str(model._meta.verbose_name_plural)
            self.created[name] = self.created.get(name, 0) + 1


@dataclass
class FunderStaff:
    officer: User
    reviewers: list
    decider: User
    finance: User
    admin: User


def team_member_email(first: str, last: str, domain: str) -> str:
    return f"{slugify(first)}.{slugify(last).replace('-', '')}@{domain}"


def staff_email(local: str, domain: str) -> str:
    return f"{local}@{domain}"


class DemoBuilder:
    """Builds everything; `today` anchors the relative dates of new rows."""

    def __init__(self, *, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.result = Result()
        self._password_hash = None
        self.to_close: list[Story] = []  # closed only after the payout batches paid their money
        self.funders: dict[str, Funder] = {}
        self.schemes: dict[str, Scheme] = {}
        self.organisations: dict[str, Organisation] = {}
        self.teams: dict[str, Team] = {}
        self.staff: dict[str, FunderStaff] = {}

    # --- Entry point -------------------------------------------------------------------------
    def build(self) -> Result:
        with transaction.atomic():
            self.build_superuser()
            for funder_data in data.FUNDERS:
                self.build_funder(funder_data)
            for scheme_data in data.SCHEMES:
                self.build_scheme(scheme_data)
            for organisation_data in data.ORGANISATIONS:
                self.build_organisation(organisation_data)
            for team_data in data.TEAMS:
                self.build_team(team_data)
        self.reload_people()
        built_for = set()
        for position, application_data in enumerate(data.APPLICATIONS):
            if self.build_application(application_data, position):
                built_for.add(self.schemes[application_data.scheme].funder_id)
        for key, outcome in data.PAYOUT_BATCHES.items():
            funder = self.funders[key]
            if funder.pk in built_for and not PayoutBatch.objects.filter(funder=funder).exists():
                self.build_payout_batch(key, outcome)
        # A file is closed only once its money is paid out (by the batches just built).
        for story in self.to_close:
            story.close()
        return self.result

    def build_payout_batch(self, key: str, outcome: str) -> None:
        """Finance bundles the approved payments that are due into a batch and exports it (SEPA)."""
        finance = self.staff[key].finance
        with transaction.atomic():
            batch = money.batch_build(funder=self.funders[key], actor=finance, due_before=self.today)
            batch = money.batch_export(batch=batch, actor=finance)
            if outcome == "paid":
                money.batch_mark_paid(batch=batch, actor=finance)
        self.result.count(PayoutBatch, True)

    # --- People ----------------------------------------------------------------------------------
    @property
    def password_hash(self) -> str:
        # Hashing is slow on purpose; every demo account shares the one documented password.
        if self._password_hash is None:
            self._password_hash = make_password(data.PASSWORD)
        return self._password_hash

    def user(self, email: str, first: str, last: str, **extra) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first, last_name=last, password=self.password_hash, **extra)
            user.save()
            self.result.count(User, True)
        return user

    def build_superuser(self) -> None:
        self.user(data.SUPERUSER_EMAIL, "Grantdesk", "Beheer", is_staff=True, is_superuser=True)
        self.result.accounts.append(Account(data.SUPERUSER_EMAIL, "superuser", "Grantdesk (alles)"))

    def build_funder(self, funder_data: data.FunderData) -> None:
        d = funder_data
        funder, created = Funder.objects.get_or_create(
            slug=slugify(d.name),
            defaults={
                "name": d.name,
                "kind": d.kind,
                "governing_body": d.governing_body,
                "street_address": d.street_address,
                "postal_code": d.postal_code,
                "city": d.city,
                "email": f"subsidies@{d.domain}",
                "phone": d.phone,
                "website": f"https://www.{d.domain}/",
                "iban": d.iban,
                "bic": d.bic,
                "account_holder": d.name,
                "objection_address": d.objection_address,
                "objection_committee": d.objection_committee,
            },
        )
        self.result.count(Funder, created)
        self.funders[d.key] = funder
        users = []
        for (first, last), local, role in zip(d.staff, STAFF_LOCAL_PARTS, data.STAFF_ROLES, strict=True):
            email = staff_email(local, d.domain)
            # No is_staff: the Django admin is not scoped per funder, so only the superuser uses it.
            user = self.user(email, first, last)
            _, created = FunderRole.objects.get_or_create(user=user, funder=funder, role=role)
            self.result.count(FunderRole, created)
            self.result.accounts.append(Account(email, role, d.name))
            users.append(user)
        decider = users[4]
        _, created = Signatory.objects.get_or_create(
            funder=funder,
            name=decider.get_full_name(),
            defaults={"user": decider, "job_title": d.signatory_job_title, "mandate_line": d.mandate_line},
        )
        self.result.count(Signatory, created)

    def build_scheme(self, scheme_data: data.SchemeData) -> None:
        d = scheme_data
        scheme, created = Scheme.objects.get_or_create(
            funder=self.funders[d.funder],
            slug=d.slug,
            defaults={
                "name": d.name,
                "reference_prefix": d.reference_prefix,
                "legal_basis": d.legal_basis,
                "summary": d.summary,
                "text": d.text,
                "opens_on": self.today + datetime.timedelta(days=d.opens_days),
                "closes_on": self.today + datetime.timedelta(days=d.closes_days),
                "budget_ceiling": d.budget_ceiling,
                "max_per_application": d.max_per_application,
                "cofunding_ratio": d.cofunding_ratio,
                "allocation_method": d.allocation_method,
                "eligible_school_types": list(d.eligible_school_types),
                "tracks": list(d.tracks),
                "learning_areas": list(d.learning_areas),
                "advance_percentage": d.advance_percentage,
                "min_reviews": d.min_reviews,
                "max_project_months": d.max_project_months,
                "max_extension_months": d.max_extension_months,
                "decision_term_weeks": d.decision_term_weeks,
                "interim_report_months": d.interim_report_months,
            },
        )
        self.result.count(Scheme, created)
        self.schemes[d.slug] = scheme
        for position, (name, description, weight, max_score) in enumerate(d.criteria, start=1):
            _, created = RubricCriterion.objects.get_or_create(
                scheme=scheme,
                name=name,
                defaults={
                    "description": description,
                    "weight": Decimal(weight),
                    "max_score": max_score,
                    "position": position,
                },
            )
            self.result.count(RubricCriterion, created)

    def build_organisation(self, organisation_data: data.OrganisationData) -> None:
        d = organisation_data
        defaults = {
            "city": d.city,
            "region": d.region,
            "school_type": d.school_type,
            "board": self.organisations[d.board] if d.board else None,
            "email": f"info@{slugify(d.name)}.demo",
            "iban": d.iban,
            "account_holder": d.name[:70] if d.iban else "",
        }
        if d.brin:
            organisation, created = Organisation.objects.get_or_create(
                brin=d.brin, defaults={"name": d.name, "kind": d.kind, **defaults}
            )
        else:
            organisation, created = Organisation.objects.get_or_create(name=d.name, kind=d.kind, defaults=defaults)
        self.result.count(Organisation, created)
        self.organisations[d.name] = organisation
        if d.brin:
            self.organisations[d.brin] = organisation

    def build_team(self, team_data: data.TeamData) -> None:
        d = team_data
        people = [d.contact, *d.members]
        users = [self.user(team_member_email(first, last, d.domain), first, last) for first, last in people]
        team, created = Team.objects.get_or_create(name=d.name, defaults={"contact": users[0]})
        self.result.count(Team, created)
        if created:
            team.schools.set([self.organisations[brin] for brin in d.schools])
        for user in users:
            _, created = TeamMembership.objects.get_or_create(team=team, user=user)
            self.result.count(TeamMembership, created)
            # Teachers belong to their schools: reviewers of those schools would be in conflict.
            for brin in d.schools:
                self.organisations[brin].members.add(user)
        self.teams[d.name] = team
        for user in users:
            role = "applicant (contact)" if user == users[0] else "applicant"
            self.result.accounts.append(Account(user.email, role, d.name))

    def reload_people(self) -> None:
        """Fresh user objects: `rules` caches roles and teams on the instance it first sees."""
        for key in self.funders:
            domain = next(d.domain for d in data.FUNDERS if d.key == key)
            by_email = {u.email: u for u in User.objects.filter(email__endswith=f"@{domain}")}
            local = [by_email[staff_email(part, domain)] for part in STAFF_LOCAL_PARTS]
            self.staff[key] = FunderStaff(
                officer=local[0], reviewers=local[1:4], decider=local[4], finance=local[5], admin=local[6]
            )
        self.teams = {name: Team.objects.select_related("contact").get(pk=team.pk) for name, team in self.teams.items()}

    # --- Applications ------------------------------------------------------------------------------
    def build_application(self, application_data: data.ApplicationData, position: int) -> bool:
        d = application_data
        team = self.teams[d.team]
        if Application.objects.filter(team=team, title=d.title).exists():
            self.result.applications_existing += 1
            return False
        scheme = self.schemes[d.scheme]
        steps = PATHS[d.path]
        with transaction.atomic():
            story = Story(self, d, scheme, team, position)
            story.create()
            for step in steps:
                # Only the submission needs the round open; a ranking round's awards need it closed.
                with self.open_for_submission(scheme, needed=step == "submit"):
                    getattr(story, step)()
        self.result.applications_built += 1
        return True

    @contextlib.contextmanager
    def open_for_submission(self, scheme: Scheme, *, needed: bool):
        """Demo back-dating: a closed round is opened for today only while its teams submit.

        Closed rounds (the ranking round waiting for its ranking, last year's round
        whose projects run) hold applications that were submitted while they were open.
        """
        if not needed or scheme.is_open(self.today):
            yield
            return
        opens_on, closes_on = scheme.opens_on, scheme.closes_on
        Scheme.objects.filter(pk=scheme.pk).update(
            opens_on=min(opens_on, self.today), closes_on=max(closes_on, self.today)
        )
        try:
            yield
        finally:
            Scheme.objects.filter(pk=scheme.pk).update(opens_on=opens_on, closes_on=closes_on)


# Routes through the workflow; each name is a method of `Story`.
_REVIEWED = ["submit", "screen", "assign_reviewers", "start_review", "review_all", "complete_review"]
_AWARDED = [*_REVIEWED, "check_cofunding", "confirm_pledges", "prepare_award", "take_decision"]
_ACTIVE = [*_AWARDED, "start", "pay_advance"]
_REJECTED = [*_REVIEWED, "prepare_rejection", "take_decision"]
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "info_requested": ["submit", "request_info"],
    "not_considered": ["submit", "request_info", "backdate_information_term", "lapse"],
    "withdrawn": ["submit", "withdraw"],
    "rejected_ineligible": ["submit", "declare_ineligible"],
    "in_review": ["submit", "screen", "assign_reviewers", "start_review", "review_some"],
    "reviewed": _REVIEWED,
    "cofunding_check": [*_REVIEWED, "check_cofunding", "confirm_first_pledge"],
    "awarded": _AWARDED,
    "rejected": _REJECTED,
    "objection": [*_REJECTED, "object"],
    "active": _ACTIVE,
    "extension_requested": [*_ACTIVE, "request_extension"],
    "active_extended": [*_ACTIVE, "request_extension", "grant_extension"],
    "final_report_submitted": [*_ACTIVE, "submit_final_report"],
    "settled": [*_ACTIVE, "submit_final_report", "settle", "approve_payments"],
    "closed": [
        *_ACTIVE,
        "submit_final_report",
        "settle",
        "backdate_decisions",
        "approve_payments",
        "close_after_payout",
    ],
    "revoked": [*_ACTIVE, "revoke"],
}


def _split(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """Whole euros per share; the last part takes what rounding left over."""
    parts = [Decimal(int(total * share)) for share in shares[:-1]]
    return [*parts, total - sum(parts, Decimal("0"))]


class Story:
    """One application's life, step by step, each step one or more workflow actions."""

    def __init__(self, builder: DemoBuilder, d: data.ApplicationData, scheme: Scheme, team: Team, position: int):
        self.builder, self.d, self.scheme, self.team, self.position = builder, d, scheme, team, position
        self.staff = builder.staff[next(f.key for f in data.FUNDERS if builder.funders[f.key].pk == scheme.funder_id)]
        self.applicant = team.contact
        self.application: Application | None = None
        self.decision = None
        self.extension = None

    @property
    def today(self) -> datetime.date:
        return self.builder.today

    def create(self) -> None:
        d = self.d
        start = self.today + datetime.timedelta(days=d.start_days)
        # Whole euros, rounded up: at least what the award will require (grants.money.required_cofunding).
        cofunding = (d.amount * self.scheme.cofunding_ratio).quantize(Decimal("1"), rounding=ROUND_CEILING)
        total = d.amount + cofunding
        self.application = actions.application_create(
            team=self.team,
            scheme=self.scheme,
            actor=self.applicant,
            title=d.title,
            summary=d.summary,
            goals=d.goals,
            track=d.track,
            learning_area=d.learning_area,
            project_start=start,
            project_end=add_months(start, d.months) - datetime.timedelta(days=1),
            requested_amount=d.amount,
        )
        application = self.application
        application.schools.set([self.builder.organisations[brin] for brin in d.schools])
        application.partners.set([self.builder.organisations[name] for name in d.partners])
        if d.cultural:
            lines = [
                (BudgetLine.Category.CULTURAL_FEES, "Honoraria culturele aanbieder (lessen en voorbereiding)"),
                (BudgetLine.Category.PERSONNEL, "Ontwikkel- en overlegtijd leerkrachten"),
                (BudgetLine.Category.MATERIALS, "Materialen en vervoer naar de aanbieder"),
                (BudgetLine.Category.OTHER, "Presentatie voor ouders en publiek"),
            ]
            shares = [Decimal("0.45"), Decimal("0.35"), Decimal("0.12"), Decimal("0.08")]
        else:
            lines = [
                (BudgetLine.Category.PERSONNEL, "Vervanging en ontwikkeltijd leerkrachten"),
                (BudgetLine.Category.TRAINING, "Scholing en begeleiding door de partner"),
                (BudgetLine.Category.MATERIALS, "Lesmaterialen"),
                (BudgetLine.Category.OTHER, "Verspreiding van de opbrengsten"),
            ]
            shares = [Decimal("0.60"), Decimal("0.20"), Decimal("0.12"), Decimal("0.08")]
        BudgetLine.objects.bulk_create(
            BudgetLine(application=application, category=category, description=text, amount=amount, position=i)
            for i, ((category, text), amount) in enumerate(zip(lines, _split(total, shares), strict=True), start=1)
        )
        if cofunding:
            cofunders = [self.builder.organisations[name] for name in d.cofunders]
            shares = [Decimal(1)] if len(cofunders) == 1 else [Decimal("0.65"), Decimal("0.35")]
            for cofunder, amount in zip(cofunders, _split(cofunding, shares), strict=True):
                CoFundingPledge.objects.create(
                    application=application,
                    cofunder=cofunder,
                    amount=amount,
                    contact_email=cofunder.email,
                )

    # --- Steps -----------------------------------------------------------------------------------
    def submit(self):
        actions.application_submit(application=self.application, actor=self.applicant)

    def request_info(self):
        actions.application_request_info(
            application=self.application,
            actor=self.staff.officer,
            message="Stuur de begroting per deelnemende school en een ondertekende intentieverklaring van "
            "het schoolbestuur mee.",
        )

    def backdate_information_term(self):
        """Demo back-dating: the team was asked fifteen days ago and let the term pass."""
        requested = timezone.now() - datetime.timedelta(days=15)
        due = self.today - datetime.timedelta(days=1)
        InformationRequest.objects.filter(application=self.application).update(requested_at=requested, due_date=due)
        self.application.decisions.filter(kind=DecisionKind.INFORMATION_REQUEST).update(
            letter_date=timezone.localdate(requested), decided_at=requested, prepared_at=requested, due_date=due
        )
        Application.objects.filter(pk=self.application.pk).update(term_paused_on=timezone.localdate(requested))

    def lapse(self):
        actions.application_lapse(application=self.application, actor=self.staff.officer)

    def withdraw(self):
        actions.application_withdraw(
            application=self.application,
            actor=self.applicant,
            reason="De samenwerkende cultuuraanbieder kan dit schooljaar geen begeleiding bieden; "
            "we dienen volgend jaar opnieuw in.",
        )

    def declare_ineligible(self):
        actions.application_declare_ineligible(
            application=self.application,
            actor=self.staff.officer,
            reasons="De activiteiten vinden plaats in de pauze en maken geen deel uit van het "
            "onderwijsprogramma; de regeling subsidieert alleen cultuureducatie binnen de lestijd (artikel 3).",
        )

    def screen(self):
        actions.application_confirm_eligibility(
            application=self.application,
            actor=self.staff.officer,
            checklist={"school_types": True, "cofunding_evidence": True, "budget": True},
        )

    def assign_reviewers(self):
        for reviewer in self.staff.reviewers:
            actions.review_assign(application=self.application, actor=self.staff.officer, reviewer=reviewer)

    def start_review(self):
        actions.application_start_review(application=self.application, actor=self.staff.officer)

    def _reviews(self):
        return {r.reviewer_id: r for r in self.application.reviews.all()}

    def _scores(self, reviewer: User) -> tuple[dict, str, str]:
        rng = random.Random(zlib.crc32(f"{self.d.title}|{reviewer.email}".encode()))
        scores = {}
        for criterion in self.scheme.criteria.all():
            base = self.d.quality * criterion.max_score / 10
            step = max(1, criterion.max_score // 5)
            scores[criterion.pk] = max(0, min(criterion.max_score, round(base + rng.choice((-1, 0, 0, 1)) * step)))
        if self.d.quality >= 7:
            recommendation, comment = "award", "Sterk plan met een duidelijke opbrengst voor leerlingen."
        elif self.d.quality >= 5:
            recommendation, comment = (
                "award_with_changes",
                "Goed idee; maak de planning concreter en beschrijf hoe de school het na afloop borgt.",
            )
        else:
            recommendation, comment = (
                "reject",
                "De aanvraag laat onvoldoende zien wat leerlingen ervan leren en hoe het team samenwerkt.",
            )
        return scores, recommendation, comment

    def _submit_review(self, review):
        actions.review_declare_no_conflict(review=review, actor=review.reviewer)
        scores, recommendation, comment = self._scores(review.reviewer)
        actions.review_save_scores(
            review=review,
            actor=review.reviewer,
            scores=scores,
            recommendation=recommendation,
            comment=comment,
            submit=True,
        )

    def review_all(self):
        """Two reviewers score; the third scores too, or (every third application) declares a conflict."""
        reviews = self._reviews()
        first, second, third = (reviews[r.pk] for r in self.staff.reviewers)
        self._submit_review(first)
        self._submit_review(second)
        if self.position % 3 == 0:
            actions.review_declare_conflict(
                review=third,
                actor=third.reviewer,
                reason="Mijn partner werkt als intern begeleider bij een van de deelnemende scholen.",
            )
        else:
            self._submit_review(third)

    def review_some(self):
        """Under review: one reviewer done, one busy scoring, one has not started."""
        reviews = self._reviews()
        first, second, _third = (reviews[r.pk] for r in self.staff.reviewers)
        self._submit_review(first)
        actions.review_declare_no_conflict(review=second, actor=second.reviewer)
        scores, _recommendation, _comment = self._scores(second.reviewer)
        half = dict(list(scores.items())[:2])
        actions.review_save_scores(review=second, actor=second.reviewer, scores=half, recommendation="", comment="")

    def complete_review(self):
        actions.application_complete_review(application=self.application, actor=self.staff.officer)

    def check_cofunding(self):
        actions.application_check_cofunding(application=self.application, actor=self.staff.officer)

    def confirm_pledges(self):
        for pledge in self.application.pledges.filter(status=PledgeStatus.PLEDGED):
            # The co-funder confirms through the personal link in its e-mail.
            actions.pledge_confirm(pledge=pledge, via_token=True)

    def confirm_first_pledge(self):
        pledges = list(self.application.pledges.order_by("pk"))
        actions.pledge_confirm(pledge=pledges[0], via_token=True)
        if self.d.notes.get("withdraw_partner_pledge") and len(pledges) > 1:
            actions.pledge_withdraw(
                pledge=pledges[1],
                via_token=True,
                reason="Ons budget voor dit schooljaar is al volledig toegezegd aan andere projecten.",
            )

    def prepare_award(self):
        self.decision = actions.decision_prepare(
            application=self.application,
            actor=self.staff.officer,
            kind=DecisionKind.AWARD,
            amount=self.d.amount,
            reasons="De aanvraag voldoet aan de regeling en is door de beoordelingscommissie positief beoordeeld.",
            conditions="U levert binnen acht weken na afloop van het project een eindverslag met een "
            "verantwoording van de kosten en de gerealiseerde cofinanciering.",
        )

    def prepare_rejection(self):
        self.decision = actions.decision_prepare(
            application=self.application,
            actor=self.staff.officer,
            kind=DecisionKind.REJECTION,
            reasons="De beoordelingscommissie beoordeelt de aanvraag als onvoldoende op de criteria "
            "'aansluiting bij de leerlingen' en 'samenwerking'. Zie het advies in de bijlage.",
        )

    def take_decision(self):
        actions.decision_take(decision=self.decision, actor=self.staff.decider)

    def object(self):
        actions.application_object(
            application=self.application,
            actor=self.applicant,
            grounds="De commissie heeft niet meegewogen dat onze leerlingen al twee jaar met deze "
            "erfgoedinstelling werken; de samenwerking is dus juist sterk. Wij vragen u het besluit te herzien.",
        )

    def start(self):
        actions.application_start(application=self.application, actor=self.applicant)

    def request_extension(self):
        end = self.application.project_end
        self.extension = actions.application_request_extension(
            application=self.application,
            actor=self.applicant,
            motivation="De eerste resultaten zijn goed: leerlingen en ouders zijn enthousiast. Met vier maanden "
            "extra kunnen we de aanpak ook in de onderbouw invoeren en een handleiding schrijven.",
            new_end_date=add_months(end, 4),
        )

    def grant_extension(self):
        reasons = "Het tussenverslag laat aantoonbaar succes zien; de verlenging past binnen de regeling."
        prepare = getattr(actions, "extension_prepare", None)
        if prepare is not None:  # four eyes: the officer recommends, the decider decides
            prepare(extension=self.extension, actor=self.staff.officer, recommend_grant=True, reasons=reasons)
        actions.extension_decide(
            extension=self.extension,
            actor=self.staff.decider,
            grant=True,
            reasons=reasons,
        )

    def _actual_costs(self) -> dict[int, Decimal]:
        """What the project really cost: 96 % of every budget line (it came out a little cheaper)."""
        return {line.pk: to_money(line.amount * Decimal("0.96")) for line in self.application.budget_lines.all()}

    def submit_final_report(self):
        """The team writes its final report in the portal: actual costs per line, co-funding, results."""
        actions.report_submit(
            report=self.application.reports.get(kind=Report.Kind.FINAL),
            actor=self.applicant,
            results="Alle geplande activiteiten zijn uitgevoerd. De leerlingen presenteerden hun werk aan "
            "ouders en collega's; drie andere scholen uit het bestuur nemen de aanpak volgend jaar over.",
            realised_cofunding=self.application.confirmed_cofunding(),
            costs=self._actual_costs(),
        )

    def settle(self):
        """The officer assesses the final report on the money page: every cost eligible, settled at the calculation."""
        money.settlement_assess(
            report=self.application.reports.get(kind=Report.Kind.FINAL),
            actor=self.staff.officer,
            eligible=self._actual_costs(),
            realised_cofunding=self.application.confirmed_cofunding(),
            reasons="De werkelijke kosten vallen lager uit dan begroot; de subsidie wordt naar rato vastgesteld.",
        )

    def pay_advance(self):
        """The team gives the school board's bank account, the officer confirms it, finance approves."""
        payee = finance_services.payee_for(self.application)
        if not payee.iban:
            money.bank_details_enter(
                application=self.application,
                actor=self.applicant,
                iban=data.BOARD_BANK_ACCOUNTS[payee.name],
                account_holder=payee.name[:70],
            )
            payee.refresh_from_db()
        if payee.bank_details_confirmed_at is None:
            money.bank_details_confirm(application=self.application, actor=self.staff.officer)
        self.approve_payments()

    def approve_payments(self):
        for payment in self.application.payments.filter(status=PaymentStatus.SCHEDULED).order_by("pk"):
            if payment.is_outgoing:
                money.payment_approve(payment=payment, actor=self.staff.finance)

    def backdate_decisions(self):
        """Demo back-dating: the file's decisions, the settlement last, were taken seven weeks ago or more,
        so none can still be objected to (the story runs in one day)."""
        settled = timezone.now() - datetime.timedelta(weeks=7)
        self.application.decisions.filter(letter_date__isnull=False).update(
            letter_date=timezone.localdate(settled), decided_at=settled
        )

    def close_after_payout(self):
        self.builder.to_close.append(self)

    def close(self):
        actions.application_close(application=self.application, actor=self.staff.officer)

    def revoke(self):
        reasons = (
            "Het project is niet uitgevoerd zoals toegekend: de school heeft de deelname beëindigd "
            "en de subsidie is niet aan de activiteiten besteed (artikel 4:48 Awb)."
        )
        prepare = getattr(actions, "revocation_prepare", None)
        if prepare is not None:  # four eyes: the officer prepares, the decider revokes
            prepare(application=self.application, actor=self.staff.officer, reasons=reasons)
        actions.application_revoke(application=self.application, actor=self.staff.decider, reasons=reasons)
