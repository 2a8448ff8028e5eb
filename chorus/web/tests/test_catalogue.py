"""The Lao catalogue is complete: every string the code marks is translated, correctly.

A string added to a template or module without a Lao translation fails here, so the Lao
interface never shows English by accident. To fix a failure, run (from the chorus/
directory, with PYTHONPATH at the repository root)

    python -m chorus makemessages -l lo --ignore 'tests/*' --no-obsolete

and translate the new entries in chorus/locale/lo/LC_MESSAGES/django.po.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUE = PACKAGE / "locale" / "lo" / "LC_MESSAGES" / "django.po"

# Python's %-formatting (named or positional) and str.format fields.
PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")
BRACES = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Names a translator must leave in Latin script.
BRANDS = ("Chorus", "Bluesky", "Mastodon", "API", "TOTP")
LAO = re.compile(r"[\u0e80-\u0eff]")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def _entries() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete]


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural.get(index, "") for index in range(1)]
    return [entry.msgstr]


def _placeholders(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for name, conversion in PERCENT.findall(text):
        if conversion != "%":
            found[f"%({name}){conversion}" if name else f"%{conversion}"] += 1
    for name in BRACES.findall(text):
        found[f"{{{name}}}"] += 1
    return found


def _label(entry: polib.POEntry) -> str:
    return f"{entry.msgid!r} ({entry.occurrences[0][0] if entry.occurrences else '?'})"


def test_it_declares_one_plural_form_for_lao():
    metadata = polib.pofile(str(CATALOGUE)).metadata
    assert metadata["Language"] == "lo"
    assert metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in metadata["Content-Type"]


def test_it_leaves_nothing_untranslated_or_fuzzy():
    entries = _entries()
    assert len(entries) > 300
    untranslated = [_label(e) for e in entries if not all(_translations(e))]
    fuzzy = [_label(e) for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_it_keeps_every_placeholder_and_tag():
    wrong = []
    for entry in _entries():
        wanted = _placeholders(entry.msgid_plural or entry.msgid)
        # A singular may leave out the count ("one item"); Lao's one form must keep it.
        wanted |= _placeholders(entry.msgid)
        tags = Counter(TAG.findall(entry.msgid_plural or entry.msgid))
        for text in _translations(entry):
            if _placeholders(text) != wanted:
                wrong.append(f"{_label(entry)}: placeholders {dict(_placeholders(text))}")
            if Counter(TAG.findall(text)) != tags:
                wrong.append(f"{_label(entry)}: HTML tags differ")
            if entry.msgid.endswith("\n") != text.endswith("\n"):
                wrong.append(f"{_label(entry)}: trailing newline differs")
    assert wrong == []


def test_it_writes_lao_script_and_keeps_brand_names():
    wrong = []
    for entry in _entries():
        for text in _translations(entry):
            if THAI.search(text):
                wrong.append(f"{_label(entry)}: Thai letters")
            if not LAO.search(text):
                wrong.append(f"{_label(entry)}: no Lao text")
            for brand in BRANDS:
                if re.search(rf"\b{brand}\b", entry.msgid) and brand not in text:
                    wrong.append(f"{_label(entry)}: lost {brand}")
    assert wrong == []


def test_it_borrows_only_messages_django_really_has():
    # chorus/web/django_strings.py copies Django's own messages; a typo there would give
    # a translation Django never asks for while its message stayed English.
    import django

    django_ids: set[tuple[str, str]] = set()
    for catalogue in Path(django.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"):
        django_ids |= {(e.msgid, e.msgid_plural) for e in polib.pofile(str(catalogue))}
    borrowed = [
        e
        for e in _entries()
        if any(path.endswith("django_strings.py") for path, _ in e.occurrences)
    ]
    assert borrowed
    assert [_label(e) for e in borrowed if (e.msgid, e.msgid_plural) not in django_ids] == []


def test_it_compiles_with_msgfmt_check(tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext (msgfmt) is needed to compile catalogues"
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_it_covers_every_string_makemessages_extracts(tmp_path, settings):
    assert shutil.which("xgettext"), "GNU gettext (xgettext) is needed for makemessages"
    # Extract from a copy, so the real catalogue is never rewritten by a test run.
    copy = tmp_path / "chorus"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests"))
    settings.LOCALE_PATHS = [copy / "locale"]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        call_command(
            "makemessages",
            locale=["lo"],
            ignore_patterns=["tests/*"],
            no_obsolete=True,
            verbosity=0,
        )
    extracted = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(copy / "locale" / "lo" / "LC_MESSAGES" / "django.po"))
        if not e.obsolete
    }
    committed = {(e.msgctxt, e.msgid) for e in _entries()}
    assert sorted(extracted - committed, key=str) == [], "strings missing from the catalogue"
    assert sorted(committed - extracted, key=str) == [], "stale strings in the catalogue"
