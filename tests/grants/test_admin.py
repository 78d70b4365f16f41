"""The admin: every registered model's pages load, lifecycle states cannot be changed there."""

import datetime
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone, translation
from django_fsm import FSMFieldMixin

from documents.models import Letter, OutgoingEmail
from finance.models import Payment, PayoutBatch
from grants.audit import record_event
from grants.models import Application, AuditEvent, FunderRole, Signatory, User
from tests.factories import ApplicationFactory, DecisionFactory, staff
from workflow.states import ApplicationStatus, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return User.objects.create_superuser(email="beheer@grantdesk.example.nl", password="x-Very-long-password-2026")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def data(superuser):
    """At least one row of every model the admin shows."""
    application = ApplicationFactory(awarded=True)
    funder = application.scheme.funder
    Signatory.objects.create(
        funder=funder, name="A. de Vries", job_title="wethouder", mandate_line="namens het college"
    )
    officer = staff(funder, Role.OFFICER)
    decision = DecisionFactory(application=ApplicationFactory(cofunding_check=True, scheme=application.scheme))
    record_event(application, actor=officer, action="submit", from_state="draft", to_state="submitted", reason="x")
    Letter.objects.create(decision=decision)
    OutgoingEmail.objects.create(key="test:1", to=["team@example.nl"], subject="Ontvangstbevestiging", template="x")
    batch = PayoutBatch.objects.create(funder=funder, reference="GD-2026-0001", created_by=officer)
    Payment.objects.create(
        application=application,
        kind=Payment.Kind.ADVANCE,
        amount=Decimal("8000.00"),
        due_date=timezone.localdate() + datetime.timedelta(days=14),
    )
    try:  # the letters' configurable text blocks (documents.LetterText), once that model exists
        letter_text = apps.get_model("documents", "LetterText")
    except LookupError:
        letter_text = None
    if letter_text is not None:
        letter_text.objects.create(
            scheme=application.scheme, kind="award", position="closing", body="Met vriendelijke groet"
        )
    return {"application": application, "batch": batch}


OUR_APPS = {"grants", "workflow", "documents", "finance"}


def registered():
    """Grantdesk's own admin pages (Django's groups and django-axes' logs are theirs)."""
    items = [
        (model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label in OUR_APPS
    ]
    return sorted(items, key=lambda item: item[0]._meta.label)


def test_the_configuration_models_are_registered():
    labels = {model._meta.label for model in admin.site._registry}
    assert {
        "grants.Funder",
        "grants.Scheme",
        "grants.Organisation",
        "grants.Team",
        "grants.User",
        "grants.FunderRole",
        "grants.Application",
        "grants.AuditEvent",
    } <= labels


@pytest.mark.parametrize(("model", "model_admin"), registered(), ids=lambda v: getattr(v, "__name__", ""))
def test_changelist_and_change_pages_load(admin_client, data, model, model_admin, django_assert_max_num_queries):
    opts = model._meta
    with django_assert_max_num_queries(25):
        response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    obj = model.objects.order_by("pk").first()
    assert obj is not None, f"the fixture has no {opts.label} to show"
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert response.status_code == 200
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": "x"})
    assert response.status_code == 200
    if model_admin.has_add_permission(response.wsgi_request):
        response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert response.status_code == 200


@pytest.mark.parametrize(("model", "model_admin"), registered(), ids=lambda v: getattr(v, "__name__", ""))
def test_every_lifecycle_field_is_read_only(rf, superuser, model, model_admin):
    request = rf.get("/")
    request.user = superuser
    fsm_fields = {f.name for f in model._meta.concrete_fields if isinstance(f, FSMFieldMixin)}
    assert fsm_fields <= set(model_admin.get_readonly_fields(request)) or not model_admin.has_change_permission(request)
    for inline in model_admin.get_inline_instances(request):
        inline_fsm = {f.name for f in inline.model._meta.concrete_fields if isinstance(f, FSMFieldMixin)}
        assert inline_fsm <= set(inline.get_readonly_fields(request)) or not inline.has_change_permission(request)


def test_posting_a_status_change_through_the_admin_changes_nothing(admin_client, data):
    application = data["application"]
    url = reverse("admin:grants_application_change", args=[application.pk])
    events = AuditEvent.objects.count()
    response = admin_client.post(url, {"status": ApplicationStatus.CLOSED, "title": "Gewijzigd", "_save": "Save"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.AWARDED
    assert application.title != "Gewijzigd"
    assert AuditEvent.objects.count() == events
    assert b'name="status"' not in admin_client.get(url).content


def test_no_admin_adds_changes_or_deletes_audit_events(admin_client, data):
    event = AuditEvent.objects.first()
    assert admin_client.get(reverse("admin:grants_auditevent_add")).status_code == 403
    delete_url = reverse("admin:grants_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:grants_auditevent_change", args=[event.pk])
    assert admin_client.post(change_url, {"action": "tampered"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "submit"


def test_admin_creates_a_user_by_email_and_gives_a_funder_role(admin_client, data):
    funder = data["application"].scheme.funder
    response = admin_client.post(
        reverse("admin:grants_user_add"),
        {
            "email": "nieuwe.behandelaar@teststad.nl",
            "usable_password": "true",
            "password1": "Zeer-lang-wachtwoord-2026",
            "password2": "Zeer-lang-wachtwoord-2026",
            "funder_roles-TOTAL_FORMS": "1",
            "funder_roles-INITIAL_FORMS": "0",
            "funder_roles-0-funder": funder.pk,
            "funder_roles-0-role": Role.OFFICER,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="nieuwe.behandelaar@teststad.nl")
    assert user.check_password("Zeer-lang-wachtwoord-2026")
    assert FunderRole.objects.filter(user=user, funder=funder, role=Role.OFFICER).exists()


def test_a_scheme_can_be_configured_with_rubric_criteria(admin_client, data):
    funder = data["application"].scheme.funder
    response = admin_client.post(
        reverse("admin:grants_scheme_add"),
        {
            "funder": funder.pk,
            "name": "Cultuureducatie met kwaliteit 2027",
            "slug": "cmk-2027",
            "reference_prefix": "CMK27",
            "legal_basis": "Regeling CMK",
            "opens_on": "2027-01-01",
            "closes_on": "2027-03-31",
            "decision_term_weeks": 8,
            "information_term_days": 14,
            "budget_ceiling": "100000.00",
            "max_per_application": "10000.00",
            "cofunding_ratio": "1.00",
            "allocation_method": "ranking",
            "advance_percentage": "80.00",
            "eligible_school_types": ["so", "vso"],
            "tracks": "co-creatie\nsamenwerking op leergebied",
            "learning_areas": "",
            "min_reviews": 2,
            "max_project_months": 24,
            "max_extension_months": 12,
            "final_report_weeks": 8,
            "settlement_term_weeks": 13,
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-position": 1,
            "criteria-0-name": "Samenwerking met de culturele partner",
            "criteria-0-weight": "2.00",
            "criteria-0-max_score": 10,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    scheme = funder.schemes.get(slug="cmk-2027")
    assert list(scheme.criteria.values_list("name", flat=True)) == ["Samenwerking met de culturele partner"]
    # Ticked school types and one track a line, not JSON typed by hand; "100000.00" read as euros.
    assert scheme.eligible_school_types == ["so", "vso"]
    assert scheme.tracks == ["co-creatie", "samenwerking op leergebied"]
    assert scheme.budget_ceiling == Decimal("100000.00")
    assert Application.objects.filter(scheme=scheme).count() == 0


def test_a_staff_account_with_a_funder_role_sees_no_funders_rows_in_the_admin(client):
    """The admin asks for model permissions without an object; our object rules must not answer them."""
    mine = ApplicationFactory(submitted=True)
    ApplicationFactory(submitted=True, title="Aanvraag van een andere financier")
    helpdesk = User.objects.create_user(email="helpdesk@grantdesk.example.nl", password="x", is_staff=True)
    FunderRole.objects.create(user=helpdesk, funder=mine.scheme.funder, role=Role.OFFICER)
    client.force_login(helpdesk)
    assert client.get(reverse("admin:grants_application_changelist")).status_code == 403
    assert client.get(reverse("admin:grants_funder_changelist")).status_code == 403
    assert "Aanvraag van een andere financier" not in client.get(reverse("admin:index")).content.decode()


def test_no_object_rule_is_named_like_a_django_model_permission():
    import rules

    model_permissions = {
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in apps.get_models()
        for action in model._meta.default_permissions
    }
    assert not set(rules.permissions.permissions) & model_permissions


def _rows_for(application, rows: int) -> None:
    """`rows` more rows in every inline the admin's change pages show for `application` and its funder."""
    from grants.models import CoFundingPledge
    from tests.factories import OrganisationFactory
    from tests.factories.portal import budget_lines, member_of

    funder, team = application.scheme.funder, application.team
    batch = PayoutBatch.objects.get(funder=funder)
    budget_lines(application, rows)
    for _ in range(rows):
        colleague = staff(funder, Role.REVIEWER)
        FunderRole.objects.create(user=colleague, funder=ApplicationFactory().scheme.funder, role=Role.OFFICER)
        FunderRole.objects.create(user=team.contact, funder=ApplicationFactory().scheme.funder, role=Role.REVIEWER)
        Signatory.objects.create(funder=funder, user=colleague, name=str(colleague), job_title="wethouder")
        member_of(team)
        CoFundingPledge.objects.create(application=application, cofunder=OrganisationFactory(), amount=Decimal("1.00"))
        Payment.objects.create(
            application=ApplicationFactory(awarded=True, scheme=application.scheme, team=team),
            kind=Payment.Kind.ADVANCE,
            amount=Decimal("100.00"),
            due_date=timezone.localdate(),
            status="approved",
            batch=batch,
        )


@pytest.mark.parametrize("page", ["funder", "team", "user", "application", "payoutbatch"])
def test_a_change_page_with_inline_rows_takes_the_same_queries_for_three_times_the_rows(admin_client, page):
    """Each inline row names its parent and related rows, and an autocomplete shows its chosen value:
    all read with the rows (Django read them once per row: 27 queries for a funder with 6 rows, 59 with 18)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application = ApplicationFactory(awarded=True)
    funder = application.scheme.funder
    PayoutBatch.objects.create(funder=funder, reference="GD-2026-0009", created_by=staff(funder, Role.FINANCE))
    objects = {
        "funder": funder,
        "team": application.team,
        "user": application.team.contact,
        "application": application,
        "payoutbatch": PayoutBatch.objects.get(funder=funder),
    }
    obj = objects[page]
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])

    def queries():
        admin_client.get(url)  # the session and content types read once
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    _rows_for(application, 2)
    few, _html = queries()
    _rows_for(application, 4)
    many, html = queries()
    assert few == many
    if page == "funder":  # the chosen colleague of the last row is still shown in its autocomplete
        last = Signatory.objects.filter(funder=funder).latest("pk").user
        assert f'<option value="{last.pk}" selected>{last}</option>' in html


def test_a_confirmed_account_cannot_be_swapped_in_the_admin_past_the_four_eyes(admin_client, data):
    """Bank details move through the finance pages only: there a change withdraws the confirmation
    and a colleague confirms it. An IBAN changed in the admin kept the old confirmation, so the next
    payout batch paid an account nobody had checked."""
    board = data["application"].schools.get().board
    board.iban, board.account_holder = "NL44RABO0123456789", "Stichting Bestuur"
    board.bank_details_confirmed_at = timezone.now()
    board.save()
    url = reverse("admin:grants_organisation_change", args=[board.pk])
    form = admin_client.get(url).context["adminform"].form
    post = {name: value for name, value in form.initial.items() if value is not None and name not in ("members",)}
    post.update({"iban": "NL91ABNA0417164300", "account_holder": "Iemand Anders", "name": "Bestuur hernoemd"})
    assert admin_client.post(url, post).status_code == 302
    board.refresh_from_db()
    assert board.name == "Bestuur hernoemd"  # the rest of the organisation stays editable
    assert (board.iban, board.account_holder) == ("NL44RABO0123456789", "Stichting Bestuur")
    assert b'name="iban"' not in admin_client.get(url).content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "amount", "due"), [("nl", "€ 12.345,60", "14 december 2026"), ("en", "€12,345.60", "14 December 2026")]
)
def test_amounts_and_dates_in_object_names_are_written_the_readers_way(client, language, amount, due):
    """The admin names a payment, pledge or information request by its __str__: "Voorschot 12345.60" and
    "2026-12-14" were Python's own spelling, on Dutch and English pages alike."""
    from grants.models import CoFundingPledge, InformationRequest
    from tests.factories import OrganisationFactory, UserFactory

    application = ApplicationFactory(awarded=True)
    payment = Payment.objects.create(
        application=application, kind=Payment.Kind.ADVANCE, amount=Decimal("12345.60"), due_date=timezone.localdate()
    )
    pledge = CoFundingPledge.objects.create(
        application=application, cofunder=OrganisationFactory(), amount=Decimal("12345.60")
    )
    request = InformationRequest.objects.create(
        application=application,
        message="x",
        due_date=datetime.date(2026, 12, 14),
        requested_by=application.team.contact,
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.cookies["django_language"] = language
    assert amount in client.get(reverse("admin:finance_payment_change", args=[payment.pk])).content.decode()
    assert amount in client.get(reverse("admin:grants_application_change", args=[application.pk])).content.decode()
    with translation.override(language):
        assert str(pledge).endswith(amount)
        assert str(request).endswith(due)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_audit_log_in_the_admin_names_actions_and_states_in_the_readers_language(client, language):
    """The list and its filter showed the codes ("declare_no_conflict", "no_conflict") on every page."""
    from tests.factories import UserFactory
    from workflow.labels import event_action_label, event_state_label

    application = ApplicationFactory()
    record_event(application, actor=application.team.contact, action="submit", from_state="draft", to_state="submitted")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.cookies["django_language"] = language
    page = client.get(reverse("admin:grants_auditevent_changelist")).content.decode()
    with translation.override(language):
        submitted, draft = event_action_label("submit"), event_state_label("draft", "application")
        declared = event_action_label("declare_no_conflict")
    assert f">{submitted}<" in page
    assert f">{draft}<" in page
    assert declared in page  # the filter offers every action by its label
    assert ">submit<" not in page
    assert ">draft<" not in page
    assert "declare_no_conflict<" not in page


@pytest.mark.django_db
def test_inline_rows_name_the_fields_a_reader_fills_and_not_the_hidden_ones(admin_client):
    """Each inline field is named after its column for a screen reader; the row's hidden id and parent
    fields got the name "None"."""
    funder = ApplicationFactory(awarded=True).scheme.funder
    staff(funder, Role.OFFICER)
    html = admin_client.get(reverse("admin:grants_funder_change", args=[funder.pk])).content.decode()
    hidden_inputs = re.findall(r'<input type="hidden"[^>]*name="[^"]*-\d+-[^"]*"[^>]*>', html)
    assert hidden_inputs  # the rows' ids and parents
    assert not [tag for tag in hidden_inputs if "aria-label" in tag]
    assert 'aria-label="None"' not in html
    visible = re.findall(r'<(?:select|input)(?![^>]*type="hidden")[^>]*name="[^"]*-0-[^"]*"[^>]*>', html)
    visible = [tag for tag in visible if "admin-autocomplete" not in tag]  # select2 puts its own box there
    assert len(visible) >= 2  # the role and the row's delete box
    assert all('aria-label="' in tag for tag in visible)


@pytest.mark.django_db
def test_amounts_in_admin_and_beheer_lists_are_written_the_readers_way(admin_client):
    """The scheme list showed a ceiling of 500000,00; it reads € 500.000,00, still sortable."""
    application = ApplicationFactory(awarded=True, amount=Decimal("12345.60"))
    scheme = application.scheme
    scheme.budget_ceiling = Decimal("500000.00")
    scheme.save(update_fields=["budget_ceiling"])
    Payment.objects.create(
        application=application, kind=Payment.Kind.ADVANCE, amount=Decimal("9876.50"), due_date=timezone.localdate()
    )
    lists = {
        "admin:grants_scheme_changelist": "€ 500.000,00",
        "admin:grants_application_changelist": "€ 12.345,60",
        "admin:finance_payment_changelist": "€ 9.876,50",
    }
    for url, amount in lists.items():
        assert amount in admin_client.get(reverse(url), {"o": "5"}).content.decode(), url
