"""Dutch first: every string of accounts and of the project templates has its Dutch translation."""

from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = [
    Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po",
    Path(settings.BASE_DIR) / "grants" / "accounts" / "locale" / "nl" / "LC_MESSAGES" / "django.po",
]


def entries(path: Path):
    """(flags, msgid, [msgstr...]) per entry, the header left out."""
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = block.strip().splitlines()
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith("msg"):
                current, _, value = line.partition(" ")
                fields[current] = [value]
            elif current:
                fields[current].append(line)
        text = {key: "".join(part.strip()[1:-1] for part in value) for key, value in fields.items()}
        yield flags, text.get("msgid", ""), [value for key, value in text.items() if key.startswith("msgstr")]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(settings.BASE_DIR)))
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    problems = [msgid for flags, msgid, msgstrs in entries(path) if "fuzzy" in flags or not all(msgstrs)]
    assert problems == []
