"""Dutch first: every catalogue is complete, and the lifecycle's refusals reach users in Dutch."""

import ast
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from tests.factories import ApplicationFactory, SchemeFactory
from workflow import actions
from workflow.exceptions import ActionRefused

CATALOGUES = sorted(
    path
    for path in Path(settings.BASE_DIR).glob("**/locale/nl/LC_MESSAGES/django.po")
    if not {".venv", "node_modules"} & set(path.parts)
)


def entries(path: Path):
    """(flags, msgid, msgstr) per entry, with multi-line strings joined."""
    flags, key, parts, result = "", None, {}, []
    for line in [*path.read_text().splitlines(), ""]:
        if line.startswith("#,"):
            flags = line
        elif line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            key, _, literal = line.partition(" ")
            parts[key] = ast.literal_eval(literal)
        elif line.startswith('"') and key:
            parts[key] += ast.literal_eval(line)
        elif not line.strip() and parts:
            msgid = (parts.get("msgctxt"), parts.get("msgid", ""))
            result.append((flags, msgid, [v for k, v in parts.items() if k.startswith("msgstr")]))
            flags, key, parts = "", None, {}
    return [entry for entry in result if entry[1][1]]  # the header has an empty msgid


def test_there_is_a_dutch_catalogue_for_every_app_with_strings():
    apps = {path.relative_to(settings.BASE_DIR).parts[0] for path in CATALOGUES}
    assert {"grants", "workflow", "documents", "finance"} <= apps


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    problems = [
        msgid[1] for flags, msgid, msgstrs in entries(path) if "fuzzy" in flags or not all(s.strip() for s in msgstrs)
    ]
    assert not problems, f"{len(problems)} untranslated or fuzzy in {path}: {problems[:10]}"


def test_a_string_in_several_catalogues_has_one_translation():
    """Django merges the catalogues and the first app wins: 'Apply' became 'Aanvragen' on the workbench's
    filter button once the portal translated its own 'Apply'. Different meanings need their own msgid
    or a msgctxt."""
    translations = {}
    for path in CATALOGUES:
        for _flags, msgid, msgstrs in entries(path):
            translations.setdefault(msgid, {}).setdefault(tuple(msgstrs), []).append(path.parent.parent.parent.parent)
    conflicts = {msgid[1]: list(found) for msgid, found in translations.items() if len(found) > 1}
    assert not conflicts, conflicts


def test_the_reader_is_addressed_one_way_u_heeft_never_u_hebt():
    """Both are correct Dutch; a letter or page that mixes them reads as patched together."""
    import re

    dutch_texts = [*CATALOGUES, *Path(settings.BASE_DIR).glob("*/templates/**/*.txt")]
    dutch_texts += Path(settings.BASE_DIR).glob("*/templates/**/*.html")
    hebt = re.compile(r"\b(u|U)\b[^.?!:;]{0,40}\bhebt\b|\b(H|h)ebt u\b")
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in dutch_texts
        if not {".venv", "node_modules"} & set(path.parts)
        for match in hebt.finditer(path.read_text())
    ]
    assert found == []


@pytest.mark.django_db
def test_a_refused_submission_says_why_in_dutch():
    today = timezone.localdate()
    scheme = SchemeFactory(opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1))
    application = ApplicationFactory(scheme=scheme, complete=False, title="")
    with translation.override("nl"), pytest.raises(ActionRefused) as refusal:
        actions.application_submit(application=application, actor=application.team.contact)
    messages = refusal.value.messages
    assert f"De regeling {scheme.name} neemt aanvragen aan van" in " ".join(messages), messages
    assert "Titel is verplicht." in messages
    assert "Voeg minstens één deelnemende school toe." in messages


def test_every_field_of_our_models_has_a_translatable_name():
    """Beheer and /admin/ label fields, columns and filters with a field's verbose_name; without one
    Django makes it from the field's name, in English on a Dutch page ("Approved at:", "SENT AT")."""
    from django.apps import apps
    from django.utils.functional import Promise

    untranslatable = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in {"grants", "workflow", "documents", "finance"}
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and not isinstance(field.verbose_name, Promise)
    ]
    assert not untranslatable, untranslatable
