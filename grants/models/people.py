"""Users, funders and the roles staff hold per funder."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from workflow.states import Role

from ..bic import BICField
from ..iban import parse_iban


class EmailUserManager(UserManager):
    """Users sign in with their e-mail address; there is no separate username."""

    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(None, email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True, default="nl")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email


def validate_iban(value: str) -> None:
    parse_iban(value)  # its ValidationError says what is wrong, in the reader's language


LOGO_MAX_BYTES = 2 * 1024 * 1024


def validate_logo(value):
    """A new logo is a PNG or JPEG image by its content, like every upload: letters show it (and showed
    the funder's name instead, without a word, when a text file was uploaded as the logo)."""
    if getattr(value, "_committed", True):  # the logo stored before: checked when it came in
        return
    from grants.uploads import JPEG, PNG, UnknownKind, UploadRefused, detect_kind  # uploads import the models

    try:
        kind = detect_kind(value.file)
    except UnknownKind as refusal:
        # Not the attachments' message, which lists PDF and Word files that a logo cannot be either.
        raise ValidationError(
            _("A logo must be a PNG or JPEG image. We look at what the file contains, not at its name.")
        ) from refusal
    except UploadRefused as refusal:
        raise ValidationError(str(refusal)) from refusal
    if kind not in (PNG, JPEG):
        raise ValidationError(_("A logo must be a PNG or JPEG image; this is a %(kind)s file.") % {"kind": kind.label})
    if value.size > LOGO_MAX_BYTES:
        # Every letter carries it: a 20 MB logo (the attachments' limit) made each letter PDF as large.
        raise ValidationError(
            _("A logo may be at most 2 MB; this one is %(size)s MB. Save it smaller, 1000 pixels wide is plenty.")
            % {"size": number_format(value.size / 1024 / 1024, 1)}
        )


class Funder(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        PROVINCE = "province", _("Province")
        FOUNDATION = "foundation", _("Foundation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    governing_body = models.CharField(
        _("governing body"),
        max_length=200,
        help_text=_("Who decides, e.g. 'het college van burgemeester en wethouders'."),
    )
    street_address = models.CharField(_("street address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to="funders/logos/",
        blank=True,
        validators=[validate_logo],
        help_text=_("A PNG or JPEG image; it heads every letter."),
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = BICField(_("BIC"), blank=True)
    account_holder = models.CharField(_("account holder"), max_length=70)
    objection_address = models.TextField(
        _("objection address"),
        help_text=_("Where and how to lodge an objection (bezwaar), printed in every letter."),
    )
    objection_committee = models.BooleanField(
        _("objections advised by a committee"),
        default=False,
        help_text=_(
            "An independent committee advises on objections (Awb 7:13). The funder then decides on an "
            "objection within twelve weeks of the end of the objection period instead of six (Awb 7:10)."
        ),
    )

    class Meta:
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def objection_address_in_a_sentence(self) -> str:
        """The objection address as letters print it, inside a sentence: the lines typed in the box joined
        with commas (a PDF runs them together as "Utrecht Postbus 80300 3508 TH Utrecht")."""
        lines = [line.strip().rstrip(",").strip() for line in self.objection_address.splitlines()]
        return ", ".join(line for line in lines if line)


class Signatory(models.Model):
    """Who signs letters on the funder's behalf, and under which mandate."""

    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("funder"))
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatories",
        verbose_name=_("decider's account"),
        help_text=_("This signature goes under the letters of the decisions this person takes."),
    )
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=200)
    mandate_line = models.CharField(
        _("mandate line"),
        max_length=300,
        help_text=_("E.g. 'namens het college van burgemeester en wethouders van Gemeente X'."),
    )

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["funder", "name"]

    def __str__(self):
        return f"{self.name} ({self.funder})"


class FunderRole(models.Model):
    """A staff role held at one funder. Staff of one funder see nothing of another's."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="funder_roles", verbose_name=_("account"))
    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("funder"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("funder role")
        verbose_name_plural = _("funder roles")
        constraints = [models.UniqueConstraint(fields=["user", "funder", "role"], name="unique_funder_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.funder}"
