"""Letters end to end in one process: the action queues, the tasks render and send (Celery eager),
the PDF says what the law asks, permissions hold, and a second run changes nothing."""

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from documents import services
from documents.letters import dutch_date
from documents.models import Letter, LetterText, OutgoingEmail
from documents.tasks import render_letter, send_letter
from grants.models import AuditEvent, Decision, User
from tests.factories import ApplicationFactory, DecisionFactory, SchemeFactory, TeamFactory, staff
from workflow.actions.decisions import decision_take
from workflow.states import DecisionKind, DecisionStatus, LetterStatus, Role

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def letter_text(decision) -> str:
    """The text of `decision`'s letter as the PDF has it, spaces collapsed."""
    return " ".join(pdf_text(Letter.objects.get(decision=decision).pdf.read()).split())


def overturned_letter_text(application, decider, callbacks, grounds: str, reasons: str) -> str:
    """The team objects; `decider` overturns the decision; the text of the letter on the objection."""
    from workflow.actions import application_object, objection_decide

    objection = application_object(application=application, actor=application.team.contact, grounds=grounds)
    with callbacks(execute=True):
        objection_decide(objection=objection, actor=decider, overturn=True, reasons=reasons)
    return letter_text(application.decisions.get(kind=DecisionKind.OBJECTION_OVERTURNED))


def take_award(setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decision_take(decision=setup["decision"], actor=setup["decider"])
    return Letter.objects.get(decision=setup["decision"])


def test_letter_on_an_award_raised_on_objection_states_the_new_amount_and_the_advance(
    award_setup, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from workflow.actions import application_object, objection_decide

    application = award_setup["application"]
    award_setup["decision"].amount = Decimal("10000.00")
    award_setup["decision"].save(update_fields=["amount"])
    take_award(award_setup, django_capture_on_commit_callbacks)  # advance of 80%: € 8.000,00, not yet paid
    objection = application_object(application=application, actor=application.team.contact, grounds="Te weinig")
    with django_capture_on_commit_callbacks(execute=True):
        objection_decide(
            objection=objection, actor=award_setup["decider"], overturn=True, reasons="Terecht", amount=Decimal("12000")
        )
    decision = application.decisions.get(kind=DecisionKind.OBJECTION_OVERTURNED)
    letter = Letter.objects.get(decision=decision)
    assert letter.status == LetterStatus.SENT
    text = " ".join(pdf_text(letter.pdf.read()).split())
    assert "bezwaar gegrond" in text
    assert "verhogen de verleende subsidie van € 10.000,00 naar ten hoogste € 12.000,00" in text
    assert "In plaats van het eerder geplande voorschot van € 8.000,00 betalen wij een voorschot van € 9.600,00" in text
    assert "afgewezen" not in text


def test_letter_on_a_revocation_undone_says_the_award_stands_and_the_advance_is_paid_after_all(
    award_setup, django_capture_on_commit_callbacks
):
    from workflow.actions import application_revoke, revocation_prepare

    application = award_setup["application"]
    take_award(award_setup, django_capture_on_commit_callbacks)  # advance € 9.876,00, not yet paid
    revocation_prepare(application=application, actor=award_setup["officer"], reasons="Voorwaarden geschonden")
    application_revoke(application=application, actor=award_setup["decider"])
    text = overturned_letter_text(
        application, award_setup["decider"], django_capture_on_commit_callbacks, "Onterecht", "Nageleefd"
    )
    assert "De intrekking van de subsidieverlening vervalt" in text
    assert "ten hoogste € 12.345,00 blijft van kracht" in text
    assert "door de intrekking waren geannuleerd, betalen wij alsnog" in text
    assert "voorschot van € 9.876,00" in text


@pytest.mark.parametrize("advance_paid", [True, False], ids=["paid", "nothing-paid"])
def test_a_revocation_letter_says_whether_money_is_recovered_and_the_recovery_letter_how_much_and_by_when(
    award_setup, django_capture_on_commit_callbacks, advance_paid
):
    from finance.models import Payment
    from workflow.actions import application_revoke, revocation_prepare

    application = award_setup["application"]
    take_award(award_setup, django_capture_on_commit_callbacks)  # advance € 9.876,00 scheduled
    if advance_paid:
        Payment.objects.filter(application=application, kind="advance").update(status="paid")
    revocation_prepare(application=application, actor=award_setup["officer"], reasons="Voorwaarden geschonden")
    with django_capture_on_commit_callbacks(execute=True):
        application_revoke(application=application, actor=award_setup["decider"])
    revocation = application.decisions.get(kind=DecisionKind.REVOCATION)
    text = letter_text(revocation)
    recovery = application.decisions.filter(kind=DecisionKind.RECOVERY).first()
    if advance_paid:
        assert "Wat al aan u is betaald (€ 9.876,00), vorderen wij terug" in text
        recovered = letter_text(recovery)
        assert "wij vorderen € 9.876,00 van u terug" in recovered
        assert f"uiterlijk op {dutch_date(recovery.due_date)}" in recovered
    else:
        assert "Er is nog niets aan u betaald; geplande betalingen vervallen." in text
        assert recovery is None


def test_letter_on_a_settlement_raised_on_objection_states_the_new_amount_and_the_money(
    django_capture_on_commit_callbacks,
):
    from decimal import Decimal

    from tests.finance.conftest import settled_under_objection
    from workflow.actions import objection_decide

    application, objection, decider, _recovery = settled_under_objection()
    with django_capture_on_commit_callbacks(execute=True):
        objection_decide(objection=objection, actor=decider, overturn=True, reasons="Kosten", amount=Decimal("9000"))
    text = letter_text(application.decisions.get(kind=DecisionKind.OBJECTION_OVERTURNED))
    assert "stellen de subsidie opnieuw vast op € 9.000,00 (eerder vastgesteld op € 6.000,00)" in text
    assert "De terugvordering vervalt" in text
    assert "terugvordering van € 2.000,00" in text
    assert "restantbetaling van € 1.000,00" in text


def test_award_letter_is_rendered_stored_and_sent_once(award_setup, django_capture_on_commit_callbacks):
    letter = take_award(award_setup, django_capture_on_commit_callbacks)
    application = award_setup["application"]
    assert letter.status == LetterStatus.SENT
    content = letter.pdf.read()
    import hashlib

    assert hashlib.sha256(content).hexdigest() == letter.sha256
    assert letter.page_count == len(PdfReader(io.BytesIO(content)).pages) >= 1
    text = " ".join(pdf_text(content).split())
    assert application.reference in text
    assert f"{application.reference}/{letter.decision_id}" in text  # kenmerk
    assert "€ 12.345,00" in text
    assert "binnen zes weken na de datum van deze brief" in text
    assert "bezwaarschriftencommissie" in text  # the funder's objection address
    assert "drs. M. Jansen" in text
    assert "namens het college van burgemeester en wethouders van Teststad" in text
    # The advance of the scheme's percentage, on the date finance scheduled it (the project's start).
    advance = application.payments.get(kind="advance")
    assert advance.due_date == application.project_start > letter.decision.letter_date
    assert f"Voorschot (80%) € 9.876,00 bij de start van het project, op {dutch_date(advance.due_date)}" in text
    assert "Pagina 1 van" in text
    assert application.scheme.legal_basis in text

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [application.team.contact.email]
    assert message.cc == [award_setup["officer"].email]
    assert message.extra_headers["Message-ID"] == f"<letter-{letter.pk}-v1@localhost>"
    assert message.attachments[0][2] == "application/pdf"
    assert message.attachments[0][1] == content
    assert message.alternatives[0][1] == "text/html"
    assert application.reference in message.subject
    actions = list(
        AuditEvent.objects.filter(subject_id=letter.pk, action__startswith="letter_").values_list("action", flat=True)
    )
    assert actions == ["letter_queued", "letter_rendered", "letter_sent"]

    # Running both steps again (a redelivered message) renders nothing and sends nothing.
    render_letter.delay(letter.pk)
    send_letter.delay(letter.pk)
    assert services.render_letter(letter.pk) is False
    assert services.send_letter(letter.pk) is False
    letter.refresh_from_db()
    assert letter.sha256 == hashlib.sha256(content).hexdigest()
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get(letter=letter).attempts == 1


def test_pdf_metadata_and_archival_variant(award_setup, django_capture_on_commit_callbacks):
    letter = take_award(award_setup, django_capture_on_commit_callbacks)
    reader = PdfReader(io.BytesIO(letter.pdf.read()))
    assert reader.metadata.title.startswith("Besluit: subsidieverlening")
    assert reader.metadata.author == award_setup["funder"].name
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*3", xmp)
    assert re.search(r"pdfaid:conformance[^A-Z]*B", xmp)


def test_a_rolled_back_decision_leaves_no_letter_and_enqueues_nothing(award_setup, django_capture_on_commit_callbacks):
    made = []

    def decide_then_fail():
        with transaction.atomic():
            decision_take(decision=award_setup["decision"], actor=award_setup["decider"])
            made.append(Letter.objects.count())
            raise RuntimeError("the decider's transaction fails after the letter row was made")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        decide_then_fail()
    assert made == [1]
    assert callbacks == []
    assert Letter.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("kind", DecisionKind.values)
def test_one_letter_per_kind_renders(kind, django_capture_on_commit_callbacks):
    application = ApplicationFactory(awarded=True)
    officer = staff(application.scheme.funder, Role.OFFICER)
    decision = DecisionFactory(
        application=application,
        kind=kind,
        status=DecisionStatus.TAKEN,
        prepared_by=officer,
        decided_by=officer,
        amount=application.awarded_amount,
        reasons="Reden één.\n\nReden twee.",
        due_date=application.project_end,
        data={"new_end_date": "2028-01-31", "settled": "8000.00", "paid": "10000.00"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.issue_letter(decision)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT, letter.failure_reason
    text = " ".join(pdf_text(letter.pdf.read()).split())
    from documents.letters import SUBJECTS

    assert SUBJECTS[kind] in text
    assert "Reden twee." in text
    assert application.reference in text
    if kind not in ("information_request", "term_extension"):
        assert "bezwaar" in text or "beroep" in text


def test_the_signature_never_stands_alone_at_the_top_of_a_page():
    """The award letter of a demo scheme ended with a page holding only "Met vriendelijke groet" and the
    signature. However long the texts before it, the signature takes the last paragraph along."""
    from tests.factories import SchemeFactory

    scheme = SchemeFactory()
    block = LetterText.objects.create(scheme=scheme, kind="rejection", position="decision", body="")
    for lines in range(0, 24, 4):  # the signature moves down a page's worth, four paragraphs at a time
        block.body = "\n\n".join(f"Toelichting, alinea {number}." for number in range(lines))
        block.save()
        pages = PdfReader(io.BytesIO(services.render_preview("rejection", scheme).content)).pages
        (signed,) = [page.extract_text() for page in pages if "Met vriendelijke groet" in page.extract_text()]
        before = signed.split("Met vriendelijke groet")[0]
        assert "Awb" in before, f"{lines} paragraphs: the page with the signature starts with it"


HOSTILE = (
    '<img src="http://127.0.0.1:9/x"> [klik](file:///etc/passwd) ![x](http://127.0.0.1:9/y) <script>alert(1)</script>'
)


def test_hostile_texts_render_as_harmless_text_and_nothing_is_fetched(award_setup, django_capture_on_commit_callbacks):
    import socket
    import threading

    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 9))
    listener.listen()
    listener.settimeout(0.2)
    connections = []

    def accept():
        while not stop.is_set():
            try:
                connections.append(listener.accept())
            except OSError:
                continue

    stop = threading.Event()
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        scheme = award_setup["application"].scheme
        for position in LetterText.Position.values:
            LetterText.objects.create(scheme=scheme, kind="award", position=position, body=HOSTILE)
        Decision.objects.filter(pk=award_setup["decision"].pk).update(reasons=HOSTILE, conditions=HOSTILE)
        award_setup["decision"].refresh_from_db()
        letter = take_award(award_setup, django_capture_on_commit_callbacks)
        from documents.letters import letter_content
        from documents.rendering import render_pdf

        html = letter_content(letter).html()
        rendered = render_pdf(html)
    finally:
        stop.set()
        thread.join()
        listener.close()
    assert "<script" not in html
    assert not re.search(r"<img[^>]*127\.0\.0\.1", html)
    assert 'href="file:' not in html
    # The letter asks for nothing; its stylesheet (parsed once per process, by the same kind of
    # fetcher) asked for itself only.
    assert rendered.fetcher.requested == []
    assert rendered.fetcher.refused == []
    from documents.rendering import letter_stylesheet

    assert letter_stylesheet().fetcher.requested == ["grantdesk-static:documents/letter.css"]
    assert letter_stylesheet().fetcher.refused == []
    assert connections == []
    text = " ".join(pdf_text(letter.pdf.read()).split())
    assert "<script>alert(1)</script>" in text  # shown as text
    assert '<img src="http://127.0.0.1:9/x">' in text


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "ftp://127.0.0.1:9/x",
        "grantdesk-static:../../../../etc/passwd",
        "grantdesk-media:../../../../etc/passwd",
        "grantdesk-media:attachments/2026/11/plan.pdf",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files_and_logos(url):
    from documents.rendering import LetterURLFetcher, RefusedURL

    fetcher = LetterURLFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_static_files_data_and_the_funders_logo(settings, tmp_path):
    from documents.rendering import LetterURLFetcher

    logo = tmp_path / "media" / "funders" / "logos" / "logo.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(b"\x89PNG fake")
    fetcher = LetterURLFetcher()
    assert b"@page" in fetcher.fetch("grantdesk-static:documents/letter.css").read()
    assert fetcher.fetch("grantdesk-media:funders/logos/logo.png").read() == b"\x89PNG fake"
    assert fetcher.fetch("data:text/plain,hallo").read() == b"hallo"


def test_markdown_blocks_escape_html_and_drop_images():
    from documents.letters import render_markdown

    html = render_markdown("**Let op** <b>vet</b> ![logo](http://127.0.0.1:9/x.png)")
    assert "<strong>Let op</strong>" in html
    assert "&lt;b&gt;vet&lt;/b&gt;" in html
    assert "<img" not in html


# --- Officers: failures, retry, correction ----------------------------------------------------------------


@pytest.fixture
def smtp_refusing():
    """A real local SMTP server (aiosmtpd) that refuses every recipient with 550."""
    from aiosmtpd.controller import Controller

    class Refuse:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "550 5.1.1 Mailbox unavailable"

    from tests.documents.test_pipeline_integration import free_port

    controller = Controller(Refuse(), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


def test_a_permanent_smtp_error_fails_the_letter_without_retry_and_one_click_sends_it(
    award_setup, django_capture_on_commit_callbacks, settings, smtp_refusing, client
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", smtp_refusing.port, False
    letter = take_award(award_setup, django_capture_on_commit_callbacks)
    assert letter.status == LetterStatus.FAILED
    assert "550" in letter.failure_reason
    email = OutgoingEmail.objects.get(letter=letter)
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 1)
    assert letter.sha256  # the PDF is kept: a retry sends it, it does not render again

    officer = award_setup["officer"]
    client.force_login(officer)
    response = client.get(reverse("documents:letter_failures"))
    assert letter.reference in response.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:letter_retry", args=[letter.pk]), {"next": "/letters/failed/"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(subject_id=letter.pk, action="letter_retried", actor=officer).exists()


def test_only_officers_of_the_funder_retry(award_setup, django_capture_on_commit_callbacks, client):
    letter = take_award(award_setup, django_capture_on_commit_callbacks)
    Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.FAILED, failure_reason="x")
    for user in (award_setup["application"].team.contact, staff(ApplicationFactory().scheme.funder, Role.OFFICER)):
        client.force_login(user)
        assert client.post(reverse("documents:letter_retry", args=[letter.pk])).status_code == 404
    letter.refresh_from_db()
    assert letter.status == LetterStatus.FAILED
    client.force_login(award_setup["officer"])
    assert client.get(reverse("documents:letter_retry", args=[letter.pk])).status_code == 405


def test_a_sent_letter_is_corrected_by_a_new_version(award_setup, django_capture_on_commit_callbacks):
    letter = take_award(award_setup, django_capture_on_commit_callbacks)
    first_hash = letter.sha256
    with pytest.raises(services.LetterRefused):
        services.letter_retry(letter, award_setup["officer"])
    with pytest.raises(services.LetterRefused):
        services.letter_correct(letter, award_setup["officer"], reason=" ")
    with pytest.raises(services.LetterPermissionDenied):
        services.letter_correct(letter, award_setup["application"].team.contact, reason="Typefout")
    with django_capture_on_commit_callbacks(execute=True):
        new = services.letter_correct(letter, award_setup["officer"], reason="Het adres was onjuist.")
    new.refresh_from_db()
    letter.refresh_from_db()
    assert (letter.version, letter.status, letter.sha256) == (1, LetterStatus.SENT, first_hash)
    assert (new.version, new.status) == (2, LetterStatus.SENT)
    assert "Het adres was onjuist." in " ".join(pdf_text(new.pdf.read()).split())
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<letter-{letter.pk}-v1@localhost>",
        f"<letter-{new.pk}-v2@localhost>",
    ]
    assert AuditEvent.objects.filter(
        subject_id=new.pk, action="letter_corrected", reason="Het adres was onjuist."
    ).exists()


def test_an_officer_corrects_a_sent_letter_from_the_workbench(award_setup, django_capture_on_commit_callbacks, client):
    letter = take_award(award_setup, django_capture_on_commit_callbacks)
    application = award_setup["application"]
    url = reverse("documents:letter_correct", args=[letter.pk])
    client.force_login(application.team.contact)
    assert client.get(url).status_code == 404  # the team reads letters, it does not correct them
    client.force_login(award_setup["officer"])
    workbench = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    assert url in workbench
    response = client.post(url, {"reason": " "})
    assert response.status_code == 200
    assert "Geef de reden van de correctie." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Het bedrag van het voorschot was onjuist vermeld."})
    assert response.status_code == 302
    new = Letter.objects.get(decision=letter.decision, version=2)
    assert new.status == LetterStatus.SENT
    assert "Het bedrag van het voorschot was onjuist vermeld." in " ".join(pdf_text(new.pdf.read()).split())
    workbench = client.get(reverse("workbench:application", args=[application.pk])).content.decode()
    assert reverse("documents:letter_correct", args=[new.pk]) in workbench  # only the newest is corrected
    assert url not in workbench


def test_download_for_the_team_and_the_funders_staff_only(award_setup, django_capture_on_commit_callbacks, client):
    letter = take_award(award_setup, django_capture_on_commit_callbacks)
    url = reverse("documents:letter_download", args=[letter.pk])
    assert client.get(url).status_code == 404  # anonymous
    for user in (award_setup["application"].team.contact, award_setup["officer"], award_setup["decider"]):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == letter.pdf.read()
        letter.pdf.seek(0)
    other_team = TeamFactory().contact
    other_officer = staff(ApplicationFactory().scheme.funder, Role.OFFICER)
    for user in (other_team, other_officer):
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert client.get(reverse("documents:letter_download", args=[999999])).status_code == 404


def test_progress_of_a_batch(award_setup, django_capture_on_commit_callbacks, client, django_assert_max_num_queries):
    application = award_setup["application"]
    decisions = [
        DecisionFactory(
            application=ApplicationFactory(scheme=application.scheme, rejected=True),
            kind="ceiling_rejection",
            status=DecisionStatus.TAKEN,
            prepared_by=award_setup["officer"],
            decided_by=award_setup["decider"],
        )
        for _ in range(3)
    ]
    with transaction.atomic():
        letters = [services.issue_letter(decision, batch="ranking-1-abc") for decision in decisions]
    client.force_login(award_setup["officer"])
    url = reverse("documents:letter_progress") + "?batch=ranking-1-abc"
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert "0 van 3 brieven gemaakt, 0 van 3 verstuurd" in response.content.decode()
    assert 'role="status"' not in response.content.decode()  # the page's polling wrapper is the live region
    services.render_letter(letters[0].pk)
    services.send_letter(letters[0].pk)
    services.render_letter(letters[1].pk)
    assert "2 van 3 brieven gemaakt, 1 van 3 verstuurd" in client.get(url).content.decode()
    for letter in letters[1:]:
        services.render_letter(letter.pk)
        services.send_letter(letter.pk)
    assert client.get(url).status_code == 286  # htmx: stop polling
    client.force_login(staff(ApplicationFactory().scheme.funder, Role.OFFICER))
    assert client.get(url).status_code == 404


def test_a_nul_in_the_address_is_a_400_page_not_a_500(award_setup, client):
    client.force_login(award_setup["officer"])
    response = client.get(reverse("documents:letter_progress"), {"batch": "ranking-1\x00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'lang="nl"' in page
    assert 'href="/"' in page  # the site's page, with a way home
    assert "Verzoek niet begrepen" in page


def test_a_nul_in_the_session_cookie_is_a_400_page_not_a_500():
    from django.test import Client

    client = Client(raise_request_exception=False, HTTP_COOKIE='sessionid="abc\\000defghijklmnop"')
    response = client.get("/")
    assert response.status_code == 400
    assert "Verzoek niet begrepen" in response.content.decode()


def test_retry_goes_back_to_the_page_it_came_from_or_to_the_failures(
    award_setup, django_capture_on_commit_callbacks, client
):
    letter = take_award(award_setup, django_capture_on_commit_callbacks)
    client.force_login(award_setup["officer"])
    failures = reverse("documents:letter_failures")
    back = f"/workbench/applications/{award_setup['application'].pk}/"
    cases = [
        ({"next": "brieven"}, {}, failures),  # no path: redirect() took it for a URL name (500)
        ({"next": "//elsewhere.example/"}, {}, failures),
        ({}, {"HTTP_REFERER": f"http://testserver{back}"}, back),
        ({}, {"HTTP_REFERER": "http://testserver//elsewhere.example/x"}, failures),
        ({"next": "/letters/failed/?page=2"}, {}, "/letters/failed/?page=2"),
    ]
    for data, headers, expected in cases:
        Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.FAILED, failure_reason="550 mailbox unavailable")
        response = client.post(reverse("documents:letter_retry", args=[letter.pk]), data, **headers)
        assert (response.status_code, response["Location"]) == (302, expected), (data, headers)


def test_stuck_letters_are_requeued(award_setup, django_capture_on_commit_callbacks):
    import datetime

    with transaction.atomic():
        decision_take(decision=award_setup["decision"], actor=award_setup["decider"])  # on_commit not run: task lost
    letter = Letter.objects.get(decision=award_setup["decision"])
    assert services.requeue_stuck()["render"] == 0  # not stuck yet
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.requeue_stuck(older_than=datetime.timedelta(0))
    assert counts["render"] == 1
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    # An e-mail left in "sending" by a dead worker goes back to the queue.
    email = OutgoingEmail.objects.get(letter=letter)
    assert email.status == OutgoingEmail.Status.SENT


def test_a_worker_dying_between_render_and_send_leaves_the_email_claimed_until_the_stuck_job(
    award_setup, django_capture_on_commit_callbacks
):
    import datetime

    with transaction.atomic():
        decision_take(decision=award_setup["decision"], actor=award_setup["decider"])  # task not run yet
    letter = Letter.objects.get(decision=award_setup["decision"])
    # The task's render step commits, making the e-mail claimed for its own send; then the worker dies.
    assert services.render_letter_step(letter.pk) is not None
    email = OutgoingEmail.objects.get(letter=letter)
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENDING, 1)
    # The message redelivered meanwhile renders nothing again and cannot send: the claim is taken.
    assert render_letter.delay(letter.pk).get() is False
    assert send_letter.delay(letter.pk).get() is False
    assert len(mail.outbox) == 0
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.requeue_stuck(older_than=datetime.timedelta(0))
    assert (counts["sending"], counts["send"]) == (1, 1)
    letter.refresh_from_db()
    email.refresh_from_db()
    assert (letter.status, email.status, email.attempts) == (LetterStatus.SENT, OutgoingEmail.Status.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_letter_whose_email_row_exists_already_is_still_sent_once(award_setup, django_capture_on_commit_callbacks):
    with transaction.atomic():
        decision_take(decision=award_setup["decision"], actor=award_setup["decider"])  # task not run yet
    letter = Letter.objects.get(decision=award_setup["decision"])
    # Not expected (a queued letter has no e-mail row): the render step must not fail on it for ever.
    existing = services.queue_letter_email(letter)
    with django_capture_on_commit_callbacks(execute=True):
        assert render_letter.delay(letter.pk).get() is True
    letter.refresh_from_db()
    existing.refresh_from_db()
    assert (letter.status, existing.status, existing.attempts) == (LetterStatus.SENT, OutgoingEmail.Status.SENT, 1)
    assert len(mail.outbox) == 1


def test_letter_preview_command_and_admin(award_setup, tmp_path, client):
    scheme = award_setup["application"].scheme
    out = tmp_path / "award.pdf"
    call_command("letter_preview", "award", "--scheme", str(scheme.pk), "--out", str(out))
    assert "€ 12.345,00" in pdf_text(out.read_bytes())
    assert Letter.objects.count() == 0
    admin = User.objects.create_superuser(email="beheer@example.nl", password="x-Very-long-password-2026")
    client.force_login(admin)
    LetterText.objects.create(
        scheme=scheme, kind="rejection", position="closing", body="**Succes** met een nieuwe aanvraag."
    )
    response = client.get(reverse("admin:documents_lettertext_preview"), {"scheme": scheme.pk, "kind": "rejection"})
    assert response["Content-Type"] == "application/pdf"
    previewed = " ".join(pdf_text(response.content).split())
    assert "Succes met een nieuwe aanvraag." in previewed
    # Signed as the funder's letters will be: its signatory and mandate line, not a made-up decider.
    assert "drs. M. Jansen" in previewed
    assert "namens het college van burgemeester en wethouders van Teststad" in previewed
    assert client.get(reverse("admin:documents_lettertext_preview")).status_code == 200
    assert client.get(reverse("admin:documents_lettertext_changelist")).status_code == 200
    assert Letter.objects.count() == 0
    client.force_login(award_setup["officer"])
    assert (
        client.get(reverse("admin:documents_lettertext_preview"), {"scheme": scheme.pk, "kind": "award"}).status_code
        == 302
    )


def test_letter_on_an_extension_refusal_overturned_on_objection_states_the_new_end_date_and_budget(
    award_setup, django_capture_on_commit_callbacks
):
    import datetime
    from decimal import Decimal

    from workflow.actions import (
        application_request_extension,
        application_start,
        extension_decide,
        extension_prepare,
    )

    application = award_setup["application"]
    scheme = application.scheme
    scheme.max_extension_months = 6
    scheme.save(update_fields=["max_extension_months"])
    take_award(award_setup, django_capture_on_commit_callbacks)
    application.refresh_from_db()
    application.project_start = timezone.localdate()  # the period has begun: the team can start
    application.project_end = application.project_start + datetime.timedelta(days=200)
    application.save(update_fields=["project_start", "project_end"])
    application_start(application=application, actor=application.team.contact)
    new_end = application.project_end + datetime.timedelta(days=60)
    extension = application_request_extension(
        application=application,
        actor=application.team.contact,
        motivation="Succesvol",
        new_end_date=new_end,
        extra_amount=Decimal("500.00"),
    )
    extension_prepare(extension=extension, actor=award_setup["officer"], recommend_grant=False, reasons="Nee")
    extension_decide(extension=extension, actor=award_setup["decider"], grant=False)
    text = overturned_letter_text(
        application, award_setup["decider"], django_capture_on_commit_callbacks, "Wel nodig", "Terecht"
    )
    assert "bezwaar gegrond" in text
    assert f"het project eindigt nu op {dutch_date(new_end)}" in text
    assert "verhogen de verleende subsidie met € 500,00 naar ten hoogste € 12.845,00" in text
    assert "eindverslag in uiterlijk op" in text


def test_an_objection_address_typed_on_lines_reads_as_an_address_in_the_letter():
    """Beheer's box invites one line each; the letter's sentence ran them together without a separator."""
    scheme = SchemeFactory(
        funder__objection_address="Gedeputeerde Staten van Utrecht\r\nPostbus 80300,\r\n\r\n3508 TH Utrecht\r\n"
    )
    previewed = " ".join(pdf_text(services.render_preview("award", scheme).content).split())
    assert "Stuur uw bezwaarschrift naar: Gedeputeerde Staten van Utrecht, Postbus 80300, 3508 TH Utrecht." in previewed
