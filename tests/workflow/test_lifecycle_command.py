"""`manage.py lifecycle` reads the FSM; docs/lifecycle.md is its output and may not drift."""

import io
import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from grants.models import Application

REQUIRED_STATES = {
    "draft",
    "submitted",
    "info_requested",
    "not_considered",
    "in_review",
    "reviewed",
    "cofunding_check",
    "awarded",
    "rejected",
    "objection",
    "active",
    "extension_requested",
    "final_report_submitted",
    "settled",
    "closed",
    "withdrawn",
    "revoked",
}


def run(*args) -> str:
    out = io.StringIO()
    call_command("lifecycle", *args, stdout=out)
    return out.getvalue()


def test_json_lists_every_state_and_transition():
    graph = json.loads(run("--json"))
    assert set(graph["states"]) >= REQUIRED_STATES
    edges = {(t["name"], t["source"], t["target"]) for t in graph["transitions"]}
    assert ("submit", "draft", "submitted") in edges
    assert ("award", "cofunding_check", "awarded") in edges
    assert ("lapse", "info_requested", "not_considered") in edges
    assert all(set(t) == {"name", "source", "target"} for t in graph["transitions"])
    assert all(t["source"] in graph["states"] and t["target"] in graph["states"] for t in graph["transitions"])


def test_return_value_targets_expand_to_their_allowed_states():
    graph = json.loads(run("--json"))
    uphold = {t["target"] for t in graph["transitions"] if t["name"] == "uphold"}
    overturn = {t["target"] for t in graph["transitions"] if t["name"] == "overturn"}
    assert uphold == {"awarded", "rejected", "settled", "not_considered", "revoked"}
    # An award overturned on objection stays an award (no reformatio in peius): never "rejected".
    assert overturn == {"awarded", "settled", "submitted", "active"}


def test_every_fsm_transition_appears():
    field = Application._meta.get_field("status")
    names = {t.name for t in field.get_all_transitions(Application)}
    graph = json.loads(run("--json"))
    assert {t["name"] for t in graph["transitions"]} == names


def test_text_and_dot():
    text = run()
    assert "draft\n  --submit--> submitted" in text
    assert "closed\n  (final)" in text
    dot = run("--dot")
    assert dot.startswith("digraph application_lifecycle {")
    assert 'cofunding_check -> awarded [label="award"];' in dot
    assert dot.rstrip().endswith("}")


def test_docs_lifecycle_md_matches_the_code():
    path = Path(settings.BASE_DIR) / "docs" / "lifecycle.md"
    assert path.read_text() == run("--markdown"), (
        "docs/lifecycle.md drifted from the FSM: run `uv run python manage.py lifecycle --markdown > docs/lifecycle.md`"
    )
    assert "stateDiagram-v2" in path.read_text()
