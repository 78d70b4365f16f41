"""Organisations (school boards, schools, cultural providers, co-funders) and teams."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..bic import BICField
from .people import User, validate_iban


class SchoolType(models.TextChoices):
    BO = "bo", _("Primary education (bo)")
    SBO = "sbo", _("Special primary education (sbo)")
    SO = "so", _("Special education (so)")
    VSO = "vso", _("Secondary special education (vso)")
    PRO = "pro", _("Practical education (pro)")
    VO = "vo", _("Secondary education (vo)")
    MBO = "mbo", _("Vocational education (mbo)")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SCHOOL_BOARD = "school_board", _("School board")
        SCHOOL = "school", _("School")
        CULTURAL_PROVIDER = "cultural_provider", _("Cultural provider")
        COFUNDER = "cofunder", _("Co-funder")
        PARTNER = "partner", _("Educational partner")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    board = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        limit_choices_to={"kind": Kind.SCHOOL_BOARD},
        verbose_name=_("school board"),
    )
    brin = models.CharField(
        _("BRIN code"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{2}[A-Z]{2}([0-9]{2})?$", _("A BRIN code looks like 12AB or 12AB00."))],
    )
    school_type = models.CharField(_("school type"), max_length=4, choices=SchoolType.choices, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    bic = BICField(_("BIC"), blank=True)
    account_holder = models.CharField(_("account holder"), max_length=70, blank=True)
    bank_details_confirmed_at = models.DateTimeField(_("bank details confirmed at"), null=True, blank=True)
    bank_details_confirmed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bank details confirmed by"),
    )
    members = models.ManyToManyField(User, blank=True, related_name="organisations", verbose_name=_("members"))

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="school") & ~models.Q(school_type=""))
                | (~models.Q(kind="school") & models.Q(school_type="")),
                name="organisation_school_type_iff_school",
            ),
            models.UniqueConstraint(fields=["brin"], condition=~models.Q(brin=""), name="organisation_unique_brin"),
        ]

    def __str__(self):
        return self.name


class Team(models.Model):
    """A teacher team: the applicants."""

    name = models.CharField(_("name"), max_length=200)
    contact = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="teams_contacted", verbose_name=_("contact person")
    )
    members = models.ManyToManyField(User, through="TeamMembership", related_name="teams", verbose_name=_("members"))
    schools = models.ManyToManyField(
        Organisation,
        related_name="teams",
        limit_choices_to={"kind": Organisation.Kind.SCHOOL},
        verbose_name=_("schools"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team"))
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="team_memberships", verbose_name=_("user"))
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="unique_team_membership")]

    def __str__(self):
        return f"{self.user} · {self.team}"
