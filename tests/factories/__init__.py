"""factory_boy factories; lifecycle states are traits: ApplicationFactory(awarded=True).

State traits write the status straight to the database (through `force_status`),
bypassing the actions on purpose: tests of one action start from the state before it.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from grants.models import (
    Application,
    BudgetLine,
    CoFundingPledge,
    Decision,
    Funder,
    FunderRole,
    Objection,
    Organisation,
    Review,
    RubricCriterion,
    Scheme,
    Team,
    TeamMembership,
    User,
)
from workflow.states import COMMITTED_STATES, ApplicationStatus, DecisionKind, DecisionStatus, Role

S = ApplicationStatus
PASSWORD = "demo-wachtwoord-2026"


def force_status(instance, status: str, field: str = "status") -> None:
    """Set a protected FSM field directly in the database; for test set-up only."""
    type(instance).objects.filter(pk=instance.pk).update(**{field: status})
    instance.refresh_from_db()


def under_objection(decision, *, grounds: str, due_date=None, **application_fields):
    """The team objects to `decision`: its Objection (decided within six weeks unless `due_date` says
    otherwise), and the application in the `objection` state from where it was, with `application_fields`."""
    application = decision.application
    objection = Objection.objects.create(
        application=application,
        decision=decision,
        grounds=grounds,
        submitted_by=application.team.contact,
        due_date=due_date or timezone.localdate() + datetime.timedelta(weeks=6),
    )
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.OBJECTION, status_before_objection=application.status, **application_fields
    )
    return objection


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.nl")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Gemeente Teststad {n}")
    slug = factory.Sequence(lambda n: f"teststad-{n}")
    kind = Funder.Kind.MUNICIPALITY
    governing_body = "het college van burgemeester en wethouders"
    street_address = "Marktplein 1"
    postal_code = "5211 AA"
    city = "Teststad"
    email = factory.Sequence(lambda n: f"subsidies{n}@teststad.nl")
    iban = "NL91ABNA0417164300"
    account_holder = "Gemeente Teststad"
    objection_address = "Gemeente Teststad, t.a.v. de bezwaarschriftencommissie, Postbus 1, 5200 AA Teststad"


def staff(funder, role, **kwargs) -> User:
    user = UserFactory(**kwargs)
    FunderRole.objects.create(user=user, funder=funder, role=role)
    return user


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme
        skip_postgeneration_save = True

    funder = factory.SubFactory(FunderFactory)
    name = factory.Sequence(lambda n: f"Onderwijsinnovatiefonds ronde {n}")
    slug = factory.Sequence(lambda n: f"oif-{n}")
    reference_prefix = factory.Sequence(lambda n: f"T{n}")
    legal_basis = "Subsidieregeling Onderwijsinnovatiefonds 2026"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    budget_ceiling = Decimal("194950.00")
    max_per_application = Decimal("25000.00")
    cofunding_ratio = Decimal("1.00")
    eligible_school_types = ["bo", "sbo", "so"]
    tracks = ["co-creatie", "samenwerking op leergebied", "helikopterview"]
    min_reviews = 1

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            RubricCriterion.objects.create(scheme=obj, name="Innovatief karakter", weight=Decimal("2"), position=1)
            RubricCriterion.objects.create(scheme=obj, name="Haalbaarheid", weight=Decimal("1"), position=2)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.PARTNER
    city = "Teststad"


class SchoolBoardFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Stichting Primair Onderwijs {n}")
    kind = Organisation.Kind.SCHOOL_BOARD


class SchoolFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Basisschool De Linde {n}")
    kind = Organisation.Kind.SCHOOL
    school_type = "bo"
    board = factory.SubFactory(SchoolBoardFactory)
    brin = factory.Sequence(lambda n: f"{10 + n % 90:02d}{chr(65 + n // 90 % 26)}{chr(65 + n % 26)}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Lerarenteam {n}")
    contact = factory.SubFactory(UserFactory)

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if not create:
            return
        TeamMembership.objects.get_or_create(team=obj, user=obj.contact)
        for user in extracted or []:
            TeamMembership.objects.get_or_create(team=obj, user=user)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft by default; traits put it in any later state."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    class Params:
        submitted = factory.Trait(status_=S.SUBMITTED)
        info_requested = factory.Trait(status_=S.INFO_REQUESTED)
        in_review = factory.Trait(status_=S.IN_REVIEW)
        reviewed = factory.Trait(status_=S.REVIEWED)
        cofunding_check = factory.Trait(status_=S.COFUNDING_CHECK)
        awarded = factory.Trait(status_=S.AWARDED)
        rejected = factory.Trait(status_=S.REJECTED)
        active = factory.Trait(status_=S.ACTIVE)
        settled = factory.Trait(status_=S.SETTLED)
        not_considered = factory.Trait(status_=S.NOT_CONSIDERED)
        objection = factory.Trait(status_=S.OBJECTION)
        extension_requested = factory.Trait(status_=S.EXTENSION_REQUESTED)
        final_report_submitted = factory.Trait(status_=S.FINAL_REPORT_SUBMITTED)
        closed = factory.Trait(status_=S.CLOSED)
        withdrawn = factory.Trait(status_=S.WITHDRAWN)
        revoked = factory.Trait(status_=S.REVOKED)

    status_ = S.DRAFT
    amount = Decimal("10000.00")

    scheme = factory.SubFactory(SchemeFactory)
    team = factory.SubFactory(TeamFactory)
    created_by = factory.SelfAttribute("team.contact")
    title = factory.Sequence(lambda n: f"Onderzoekend leren in groep 7 en 8 ({n})")
    summary = "Leerlingen onderzoeken samen met een kunstenaar hun eigen wijk."
    goals = "Leerkrachten ontwerpen en geven vijf onderzoekslessen."
    track = "co-creatie"
    # The project period begins today: an awarded project can be started (not before its start date).
    project_start = factory.LazyFunction(timezone.localdate)
    project_end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    requested_amount = factory.SelfAttribute("amount")

    @factory.post_generation
    def complete(obj, create, extracted, **kwargs):
        """Budget of twice the amount, half pledged (and confirmed past review), one school."""
        if not create or extracted is False:
            return
        school = SchoolFactory()
        obj.schools.add(school)
        amount = obj.requested_amount
        BudgetLine.objects.create(
            application=obj,
            category=BudgetLine.Category.PERSONNEL,
            description="Ontwikkeltijd leerkrachten",
            amount=amount * 2,
        )
        pledge = CoFundingPledge.objects.create(application=obj, cofunder=school.board, amount=amount)
        if obj._status_ not in (S.DRAFT, S.SUBMITTED, S.INFO_REQUESTED, S.IN_REVIEW, S.REVIEWED):
            force_status(pledge, "confirmed")

    @factory.post_generation
    def place_in_state(obj, create, extracted, **kwargs):
        status = obj._status_
        if not create or status == S.DRAFT:
            return
        today = timezone.localdate()
        fields = {
            "status": status,
            "reference": f"{obj.scheme.reference_prefix}-{today.year}-{obj.pk:05d}",
            "submitted_at": timezone.now(),
            "decision_due_date": today + datetime.timedelta(weeks=obj.scheme.decision_term_weeks),
            "eligibility_confirmed_at": timezone.now() if status != S.SUBMITTED else None,
        }
        if status in (*COMMITTED_STATES, S.OBJECTION, S.REVOKED):
            fields["awarded_amount"] = obj.requested_amount
        if status in (S.SETTLED, S.CLOSED):
            fields["settled_amount"] = obj.requested_amount
        if status == S.INFO_REQUESTED:
            fields["term_paused_on"] = today
        Application.objects.filter(pk=obj.pk).update(**fields)
        obj.refresh_from_db()

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        status = kwargs.pop("status_", S.DRAFT)
        kwargs.pop("amount", None)
        obj = super()._create(model_class, *args, **kwargs)
        obj._status_ = status
        return obj


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory, in_review=True)
    reviewer = factory.LazyAttribute(lambda o: staff(o.application.scheme.funder, Role.REVIEWER))
    assigned_by = factory.LazyAttribute(lambda o: staff(o.application.scheme.funder, Role.OFFICER))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory, cofunding_check=True)
    kind = DecisionKind.AWARD
    status = DecisionStatus.PREPARED
    amount = factory.LazyAttribute(lambda o: o.application.requested_amount)
    prepared_by = factory.LazyAttribute(lambda o: staff(o.application.scheme.funder, Role.OFFICER))
