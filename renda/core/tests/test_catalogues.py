"""The zh-Hans catalogue is complete and its compiled .mo matches the .po (no GNU gettext needed to check)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted(
    p
    for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
    if ".venv" not in p.parts and "node_modules" not in p.parts
)


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: {"msgctxt"?, "msgid", "msgid_plural"?, "msgstr": {index: text}, "fuzzy"}."""
    entries, entry, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += value
            else:
                entry[field[0]] += value
            continue
        key = line.split(" ", 1)[0]
        # A comment or a new msgctxt/msgid after a msgstr starts the next entry.
        if entry is not None and entry["msgstr"] and (line.startswith("#") or key in ("msgctxt", "msgid")):
            entries.append(entry)
            entry = None
        if entry is None:
            entry = {"fuzzy": False, "msgstr": {}}
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            continue
        value = ast.literal_eval(line.split(" ", 1)[1])
        if key.startswith("msgstr"):
            index = int(key[7:-1]) if key.startswith("msgstr[") else 0
            entry["msgstr"][index] = value
            field = ("msgstr", index)
        else:
            entry[key] = value
            field = (key, None)
    if entry is not None and entry["msgstr"]:
        entries.append(entry)
    return [e for e in entries if e.get("msgid")]


def translated(compiled: gettext.GNUTranslations, entry: dict) -> str:
    context = entry.get("msgctxt")
    if "msgid_plural" in entry:
        if context is not None:
            return compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], 1)
        return compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
    if context is not None:
        return compiled.pgettext(context, entry["msgid"])
    return compiled.gettext(entry["msgid"])


def test_there_are_catalogues():
    assert CATALOGUES, "no zh_Hans catalogue found"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_complete_and_compiled(po):
    entries = parse_po(po)
    assert entries
    fuzzy = [e["msgid"] for e in entries if e["fuzzy"]]
    assert not fuzzy, f"fuzzy entries in {po}: {fuzzy[:5]}"
    empty = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"]]
    assert not empty, f"untranslated entries in {po}: {empty[:5]}"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [e["msgid"] for e in entries if translated(compiled, e) != e["msgstr"][0]]
    assert not stale, f"{mo} is older than its .po for: {stale[:5]}"


APPS_WITH_CATALOGUES = sorted({po.parents[3] for po in CATALOGUES if po.parents[3].parent.name == "renda"})


@pytest.mark.parametrize("app", APPS_WITH_CATALOGUES, ids=lambda p: p.name)
def test_catalogue_has_every_string_of_its_app(app, tmp_path):
    """Extract the app's strings afresh (makemessages on a copy) and require a translation for each: a string added
    to a template or form without updating the catalogue fails here, not in front of a Chinese user."""
    import os
    import shutil
    import subprocess
    import sys

    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is needed to check catalogues: apt-get install gettext")
        pytest.skip("GNU gettext is not installed: catalogue completeness not checked")
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "static", "*.mo"))
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "renda.settings", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        # django-admin, not `python -m django`: with -m the copy's folder comes first on sys.path, and a module
        # such as workdays/calendar.py would shadow the standard library's.
        [str(Path(sys.executable).parent / "django-admin"), "makemessages", "-l", "zh_Hans"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    entries = parse_po(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    missing = [e["msgid"] for e in entries if e["fuzzy"] or not all(e["msgstr"].values())]
    assert not missing, f"{app.name}: strings without a zh-Hans translation: {missing[:10]}"


def test_one_translation_per_string_across_catalogues():
    """Django merges every app's catalogue into one: where two apps translate the same (context, msgid)
    differently, the first app in INSTALLED_APPS wins on every page (a finished reception day read 完成时间, the
    import's "finished at"). Strings that mean different things carry a context (pgettext); the same meaning gets
    the same words."""
    seen: dict[tuple, dict[str, str]] = {}
    for po in CATALOGUES:
        for entry in parse_po(po):
            key = (entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural"))
            seen.setdefault(key, {})[po.parents[3].name] = entry["msgstr"][0]
    conflicts = {key: by_app for key, by_app in seen.items() if len(set(by_app.values())) > 1}
    assert not conflicts, "\n".join(f"{key}: {by_app}" for key, by_app in conflicts.items())


CJK_THEN_ASCII_COLON = re.compile(r"[\u3400-\u9fff\uff08-\uff09）]\s*:")


def test_chinese_labels_end_without_an_ascii_colon():
    """A Chinese label reads 类别 or 类别：, never 类别: — in the catalogues, after a translated label in a
    template, and in Django's form label suffix (its own zh_Hans catalogue translates ":" to ":")."""
    wrong = [
        (po.parents[3].name, entry["msgid"], text)
        for po in CATALOGUES
        for entry in parse_po(po)
        for text in entry["msgstr"].values()
        if text.rstrip().endswith(":") or CJK_THEN_ASCII_COLON.search(text)
    ]
    assert not wrong, wrong
    with translation.override("zh-hans"):
        assert translation.gettext(":") == "："
        assert forms.Form().label_suffix == "："


# A literal ASCII colon right after a translated label or a value that is shown in Chinese, outside
# {% blocktranslate %} (whose text is a msgid, checked above through its msgstr).
TEMPLATE_COLON = re.compile(r"(%\}|\}\})[ \t]*:")
BLOCK = re.compile(r"\{% blocktranslate.*?\{% endblocktranslate %\}", re.S)
COMMENT = re.compile(r"\{#.*?#\}", re.S)


def test_templates_put_no_ascii_colon_after_a_label():
    templates = [p for p in (ROOT / "renda").glob("*/templates/**/*.html")]
    assert templates
    wrong = []
    for path in templates:
        text = COMMENT.sub("", BLOCK.sub("", path.read_text(encoding="utf-8")))
        wrong += [
            f"{path.relative_to(ROOT)}: …{text[m.start() - 40 : m.end() + 10]}…" for m in TEMPLATE_COLON.finditer(text)
        ]
    assert not wrong, "\n".join(wrong)
