"""The Japanese catalogue is complete, and compiles the same with or without GNU gettext."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from config.launch import catalogues

ROOT = Path(__file__).resolve().parents[2]
JAPANESE = ROOT / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def untranslated(path: Path) -> list[str]:
    """msgids of a .po file whose translation is missing or marked fuzzy (obsolete ones aside)."""
    return [
        entry.msgid
        for entry in polib.pofile(str(path))
        if entry.msgid and not entry.obsolete and not entry.translated()
    ]


@pytest.mark.parametrize("catalogue", catalogues(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_message_has_a_japanese_translation(catalogue):
    # After `make messages`, translate each new empty (or fuzzy) msgstr in these files.
    assert untranslated(catalogue) == []


def test_every_catalogue_is_found_for_compiling():
    assert JAPANESE in catalogues()


def test_the_polib_compiler_reads_contexts_plurals_and_long_strings(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\n'
        'msgstr ""\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=1; plural=0;\\n"\n'
        "\n"
        'msgctxt "post header"\n'
        'msgid "ID"\n'
        'msgstr "ＩＤ"\n'
        "\n"
        'msgid "%(n)d post"\n'
        'msgid_plural "%(n)d posts"\n'
        'msgstr[0] "%(n)d件"\n'
        "\n"
        'msgid ""\n'
        '"A long line "\n'
        '"with \\"quotes\\"\\n"\n'
        'msgstr ""\n'
        '"長い行と"\n'
        '"「引用」\\n"\n'
        "\n"
        "#, fuzzy\n"
        'msgid "Unsure"\n'
        'msgstr "たぶん"\n'
        "\n"
        'msgid "Untranslated"\n'
        'msgstr ""\n',
        encoding="utf-8",
    )
    mo = tmp_path / "django.mo"

    polib.pofile(str(po)).save_as_mofile(str(mo))
    with mo.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)

    # (Looked up through other names, so that `make messages` does not collect these strings.)
    one, plural, in_context = catalogue.gettext, catalogue.ngettext, catalogue.pgettext
    assert in_context("post header", "ID") == "ＩＤ"
    assert plural("%(n)d post", "%(n)d posts", 5) == "%(n)d件"
    assert one('A long line with "quotes"\n') == "長い行と「引用」\n"
    assert one("Unsure") == "Unsure"
    assert one("Untranslated") == "Untranslated"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("catalogue", catalogues(), ids=lambda path: str(path.relative_to(ROOT)))
def test_the_polib_compiler_agrees_with_gnu_msgfmt(tmp_path, catalogue):
    gnu_mo, own_mo = tmp_path / "gnu.mo", tmp_path / "own.mo"
    subprocess.run(["msgfmt", "-o", str(gnu_mo), str(catalogue)], check=True)
    polib.pofile(str(catalogue)).save_as_mofile(str(own_mo))

    with gnu_mo.open("rb") as gnu_file, own_mo.open("rb") as own_file:
        gnu, own = gettext.GNUTranslations(gnu_file), gettext.GNUTranslations(own_file)

    messages = set(gnu._catalog) - {""}
    assert messages
    assert {key: own._catalog.get(key) for key in messages} == {
        key: gnu._catalog[key] for key in messages
    }
    assert own.plural(1) == gnu.plural(1) and own.plural(7) == gnu.plural(7)
