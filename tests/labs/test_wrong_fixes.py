"""Recognising a failed fix as a known or common wrong fix, and saying so on the verdict page.

The bundle tests iterate content/labs at collection time, so every lab added later is covered:
each bad fix, submitted as its overlay, is recognised with its own ``why``; the reference solution
is never flagged, whatever fails; a passed verdict flags nothing.
"""

from __future__ import annotations

from functools import cache

import pytest
from django.test import Client

from labs import sandbox
from labs.models import JobStatus, Submission
from labs.services import lab_session_start, lab_version_store, lab_version_validate, read_folder
from labs.services.grading import _recognised_bad_fix
from labs.services.wrong_fixes import (
    FailedCheck,
    LabFixes,
    MatchSource,
    describe,
    lab_fixes_from_bundle,
    recognise,
)
from labs.services.wrong_fixes.generic import BY_KEY, REMEDIES
from tests.factories import LABS, store_published

BUNDLES = sorted(
    path.name
    for path in LABS.iterdir()
    if (path / "lab.toml").is_file() and (path / "solution").is_dir()
)
BAD_FIXES = [
    (slug, bad.name) for slug in BUNDLES for bad in lab_fixes_from_bundle(LABS / slug).bad_fixes
]
SECURITY = FailedCheck(test="test_attack", kind="security")
FUNCTIONAL = FailedCheck(test="test_feature", kind="functional")
FAILURES = {
    "still_exploitable": [SECURITY],
    "broken": [FUNCTIONAL],
    "both": [SECURITY, FUNCTIONAL],
}


@cache
def _bundle(slug: str) -> LabFixes:
    return lab_fixes_from_bundle(LABS / slug)


def _bad(slug: str, name: str):
    lab = _bundle(slug)
    return lab, next(bad for bad in lab.bad_fixes if bad.name == name)


def test_the_bundle_list_is_not_empty() -> None:
    assert BUNDLES and BAD_FIXES


@pytest.mark.parametrize(("slug", "name"), BAD_FIXES)
def test_every_bad_fix_is_recognised_with_its_own_message(slug: str, name: str) -> None:
    lab, bad = _bad(slug, name)
    for failed in FAILURES.values():
        match = recognise(
            lab=lab, submission_files=lab.overlay(bad.files), failed_checks=failed, verdict="broken"
        )
        assert match is not None and match.source == MatchSource.LAB
        assert match.key == name
        assert match.message == bad.why and bad.why


@pytest.mark.parametrize(("slug", "name"), BAD_FIXES)
def test_a_bad_fix_retyped_with_small_changes_is_still_recognised(slug: str, name: str) -> None:
    lab, bad = _bad(slug, name)
    files = lab.overlay(bad.files)
    path = next(p for p in sorted(bad.files) if p in files)
    extra = "\n# my fix\nVERSION = 2\n" if path.endswith(".py") else "\n<!-- my fix -->\n"
    retyped = files[path].replace("    ", "  ") + extra
    match = recognise(
        lab=lab,
        submission_files={**files, path: retyped},
        failed_checks=[SECURITY],
        verdict="still_exploitable",
    )
    assert match is not None and match.key == name


@pytest.mark.parametrize(("slug", "name"), BAD_FIXES)
def test_a_passed_verdict_is_never_flagged(slug: str, name: str) -> None:
    lab, bad = _bad(slug, name)
    match = recognise(
        lab=lab, submission_files=lab.overlay(bad.files), failed_checks=[], verdict="passed"
    )
    assert match is None


@pytest.mark.parametrize("slug", BUNDLES)
@pytest.mark.parametrize("failed", list(FAILURES))
@pytest.mark.parametrize("verdict", ["still_exploitable", "broken"])
def test_the_reference_solution_is_never_flagged(slug: str, failed: str, verdict: str) -> None:
    lab = _bundle(slug)
    match = recognise(
        lab=lab,
        submission_files=lab.overlay(lab.solution),
        failed_checks=FAILURES[failed],
        verdict=verdict,
    )
    assert match is None, f"{slug}: the reference solution was flagged as {match}"


@pytest.mark.parametrize("slug", BUNDLES)
def test_the_untouched_starter_is_not_a_wrong_fix(slug: str) -> None:
    lab = _bundle(slug)
    match = recognise(
        lab=lab, submission_files=lab.overlay({}), failed_checks=[SECURITY], verdict="broken"
    )
    assert match is None


def _validated_failures(slug: str) -> dict[str, list[FailedCheck]]:
    """The checks each bad fix of a bundle fails in the real sandbox, as validation records them
    in ``bad_fix_signatures`` (the report is reused when the catalogue test already made it)."""
    version, _ = lab_version_store(bundle=read_folder(LABS / slug), source=str(LABS / slug))
    version = lab_version_validate(version=version, reuse=True)
    assert version.is_valid, version.validation_report
    kinds = {check["test"]: check["kind"] for check in version.manifest["checks"]}
    return {
        name: [FailedCheck(test=test, kind=kinds[test]) for test in tests]
        for name, tests in version.validation_report["bad_fix_signatures"].items()
    }


@pytest.mark.sandbox
@pytest.mark.parametrize(("slug", "name"), BAD_FIXES)
def test_every_bad_fix_is_recognised_from_its_real_failing_checks(slug: str, name: str, db) -> None:
    failures = _validated_failures(slug)
    signatures = {other: [c.test for c in checks] for other, checks in failures.items()}
    lab = lab_fixes_from_bundle(LABS / slug, signatures=signatures)
    bad = next(bad for bad in lab.bad_fixes if bad.name == name)
    match = recognise(
        lab=lab,
        submission_files=lab.overlay(bad.files),
        failed_checks=failures[name],
        verdict="still_exploitable",
    )
    assert match is not None and match.key == name and match.message == bad.why


STARTER_PY = """import os
import sqlite3


def find(db, name):
    return db.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()


def greet(name):
    return "<p>Hello " + name + "</p>"


def history(db):
    return db.execute("SELECT * FROM log").fetchall()
"""

FORM = '<form method="post">\n<input name="q">\n</form>\n'
PARAMETERISED = STARTER_PY.replace(
    """db.execute(f"SELECT * FROM users WHERE name = '{name}'")""",
    """db.execute("SELECT * FROM users WHERE name = ?", (name,))""",
)


def _lab(**extra: str) -> LabFixes:
    return LabFixes(
        starter={"app.py": STARTER_PY, "templates/form.html": FORM},
        solution={"app.py": PARAMETERISED},
        vulnerability_class=extra.get("vulnerability_class", "sql-injection"),
        editable=("app.py", "templates/form.html"),
    )


def _generic(files: dict[str, str], failed=(SECURITY,), **extra: str) -> str | None:
    match = recognise(
        lab=_lab(**extra), submission_files=files, failed_checks=list(failed), verdict="broken"
    )
    if match is None:
        return None
    assert match.source == MatchSource.GENERIC and match.stored == f"generic:{match.key}"
    return match.key


def _with_find(body: str) -> dict[str, str]:
    start = STARTER_PY.index("def find(db, name):")
    end = STARTER_PY.index("def greet")
    return {"app.py": STARTER_PY[:start] + body.strip("\n") + "\n\n\n" + STARTER_PY[end:]}


VULNERABLE = """    return db.execute(f"SELECT * FROM users WHERE name = '{name}'").fetchall()"""


@pytest.mark.parametrize(
    "body",
    [
        f'def find(db, name):\n    if "\'" in name:\n        return []\n{VULNERABLE}',
        'def find(db, name):\n    if any(c in name for c in "\';"):\n        raise ValueError\n'
        + VULNERABLE,
        f'def find(db, name):\n    if re.search("[\';]", name):\n        return []\n{VULNERABLE}',
    ],
)
def test_a_character_blocklist_is_recognised(body: str) -> None:
    assert _generic(_with_find(body)) == "character-blocklist"


def test_hand_escaping_with_replace_is_recognised() -> None:
    body = 'def find(db, name):\n    name = name.replace("\'", "\'\'")\n' + VULNERABLE
    assert _generic(_with_find(body)) == "hand-escaping"


def test_hand_escaping_angle_brackets_is_recognised() -> None:
    files = {
        "app.py": STARTER_PY.replace(
            '"<p>Hello " + name', '"<p>Hello " + name.replace("<", "&lt;").replace(">", "&gt;")'
        )
    }
    assert _generic(files, vulnerability_class="cross-site-scripting") == "hand-escaping"


def test_catching_the_exception_to_hide_it_is_recognised() -> None:
    body = (
        "def find(db, name):\n    try:\n    "
        + VULNERABLE
        + "\n    except Exception:\n        return []"
    )
    assert _generic(_with_find(body)) == "hidden-exception"


def test_catching_a_database_error_around_the_query_is_recognised() -> None:
    body = (
        "def find(db, name):\n    try:\n    "
        + VULNERABLE
        + "\n    except sqlite3.Error:\n        return []"
    )
    assert _generic(_with_find(body)) == "hidden-exception"


def test_removing_the_feature_is_recognised_when_a_feature_breaks() -> None:
    start = STARTER_PY.index("def history(db):")
    files = {"app.py": STARTER_PY[:start].rstrip() + "\n"}
    assert _generic(files, failed=(FUNCTIONAL,)) == "removed-feature"
    # Deleting a function no check misses is not "removing the feature".
    assert _generic(files, failed=(SECURITY,)) is None


def test_a_check_in_the_browser_only_is_recognised() -> None:
    files = {
        "templates/form.html": '<form method="post">\n<input name="q" pattern="[a-z]+" '
        'maxlength="20" required>\n</form>\n'
    }
    assert _generic(files) == "client-side-only"


@pytest.mark.parametrize(
    "line",
    ['SECRET_KEY = "s3cr3t-moved-here"', 'API_TOKEN = os.environ.get("API_TOKEN", "dev-token")'],
)
def test_a_secret_still_in_the_code_is_recognised(line: str) -> None:
    files = {"app.py": STARTER_PY.replace("import sqlite3\n", f"import sqlite3\n\n{line}\n")}
    assert _generic(files, vulnerability_class="debug-exposure") == "hard-coded-secret"


@pytest.mark.parametrize(
    "files",
    [
        {"app.py": PARAMETERISED},  # the reference fix itself
        {"app.py": PARAMETERISED.replace("import os\n", "import os\nimport re\n")},
        {"app.py": STARTER_PY.replace("name + ", "html.escape(name) + ")},  # a library escape
        {"app.py": STARTER_PY.replace("import os\n", 'import os\nSECRET = os.environ["KEY"]\n')},
        {"app.py": STARTER_PY.replace("import os\n", 'import os\nLABEL = "a-long-literal"\n')},
        {"templates/form.html": '<form method="post">\n<input name="q" class="wide">\n</form>\n'},
    ],
)
def test_sound_or_unrelated_changes_are_not_flagged(files: dict[str, str]) -> None:
    assert _generic(files, failed=(SECURITY, FUNCTIONAL)) is None


def test_a_narrow_except_that_re_raises_is_not_hiding_the_error() -> None:
    body = (
        "def find(db, name):\n    try:\n    "
        + VULNERABLE
        + "\n    except sqlite3.Error as exc:\n        raise LookupError(name) from exc"
    )
    assert _generic(_with_find(body)) is None


def test_a_pattern_the_reference_fix_uses_is_never_called_wrong() -> None:
    escaped = STARTER_PY.replace('"<p>Hello " + name', '"<p>Hello " + name.replace("<", "&lt;")')
    lab = _lab()
    lab = LabFixes(
        starter=lab.starter,
        solution={"app.py": escaped},
        vulnerability_class="cross-site-scripting",
        editable=lab.editable,
    )
    match = recognise(
        lab=lab, submission_files={"app.py": escaped}, failed_checks=[SECURITY], verdict="broken"
    )
    assert match is None


def test_code_that_does_not_parse_is_not_flagged() -> None:
    assert _generic({"app.py": "def find(db, name:\n"}) is None


def test_generic_messages_name_the_remedy_of_the_lab_class() -> None:
    fix = BY_KEY["character-blocklist"]
    assert "query parameters" in fix.message("sql-injection")
    assert "autoescape" in fix.message("cross-site-scripting")
    assert "Blocking characters (a blocklist)" in fix.message("ssrf")
    assert set(REMEDIES) >= {"sql-injection", "cross-site-scripting", "template-injection"}


def test_describe_reads_plain_names_prefixed_names_and_generic_keys() -> None:
    bad_fixes = [{"name": "strip-quotes", "why": "Quotes are not the only way in."}]
    for stored in ("strip-quotes", "lab:strip-quotes"):
        note = describe(stored, bad_fixes=bad_fixes, vulnerability_class="sql-injection")
        assert note is not None and not note.is_generic
        assert note.message == "Quotes are not the only way in."
    note = describe(
        "generic:hand-escaping", bad_fixes=bad_fixes, vulnerability_class="sql-injection"
    )
    assert note is not None and note.is_generic and note.title == "escaping by hand"
    assert "query parameters" in note.message
    for unknown in ("", "gone", "generic:nothing-like-this"):
        assert describe(unknown, bad_fixes=bad_fixes, vulnerability_class="") is None


def _graded(version, failed: tuple[str, ...]) -> sandbox.GradeResult:
    checks = tuple(
        sandbox.CheckResult(
            test=check["test"],
            title=check.get("title", ""),
            kind=check.get("kind", "security"),
            outcome=sandbox.Outcome.FAILED if check["test"] in failed else sandbox.Outcome.PASSED,
            duration_ms=5,
        )
        for check in version.checks
    )
    verdict = sandbox.Verdict.STILL_EXPLOITABLE if failed else sandbox.Verdict.PASSED
    return sandbox.GradeResult(verdict=verdict, checks=checks, duration_ms=42)


def test_grading_stores_a_lab_bad_fix_by_name_and_a_generic_one_by_key(db) -> None:
    version = store_published("django-raw-sql-search")
    failed = (version.checks[0]["test"],)
    overlay = LABS / "django-raw-sql-search" / "bad_fixes" / "strip-quotes"
    files = {
        path: (overlay / path).read_text()
        if (overlay / path).is_file()
        else version.starter_files[path]
        for path in version.editable
    }
    assert _recognised_bad_fix(version, _graded(version, failed), files) == "strip-quotes"
    views = version.starter_files["catalogue/views.py"]
    crafted = views + '\n\ndef _clean(value):\n    return value.replace("\'", "\'\'")\n'
    files = {**version.starter_files, "catalogue/views.py": crafted}
    files = {path: files[path] for path in version.editable}
    assert _recognised_bad_fix(version, _graded(version, failed), files) == "generic:hand-escaping"
    assert _recognised_bad_fix(version, _graded(version, ()), files) == ""


def _finished(session, bad_fix: str) -> Submission:
    return Submission.objects.create(
        session=session, version=session.version, files=session.draft_files,
        status=JobStatus.FINISHED, verdict="still_exploitable", bad_fix=bad_fix,
    )  # fmt: skip


def test_the_verdict_page_names_a_common_wrong_fix(alice, alice_client: Client) -> None:
    lab = store_published("django-raw-sql-search").lab
    sub = _finished(lab_session_start(user=alice, lab=lab), "generic:character-blocklist")
    html = alice_client.get(sub.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "Your code looks like a common wrong fix: a character blocklist." in html
    assert "query parameters" in html


def test_the_verdict_page_shows_a_known_wrong_fixs_why(alice, alice_client: Client) -> None:
    version = store_published("django-raw-sql-search")
    why = next(b["why"] for b in version.bad_fixes if b["name"] == "strip-quotes")
    sub = _finished(lab_session_start(user=alice, lab=version.lab), "strip-quotes")
    html = alice_client.get(sub.get_absolute_url()).content.decode()
    assert "Your code matches a known wrong fix." in html
    assert "common wrong fix" not in html
    assert "only protects values that sit inside quotes" in html and why


def test_outsiders_never_see_the_wrong_fix_note(alice, bob, charlie) -> None:
    lab = store_published("django-raw-sql-search").lab
    sub = _finished(lab_session_start(user=alice, lab=lab), "generic:character-blocklist")
    for who in (bob, charlie):
        client = Client()
        client.force_login(who)
        assert client.get(sub.get_absolute_url()).status_code == 404


#: A sound fix of the Django raw-SQL lab's values (parameters the driver binds, the price parsed
#: as a number) that leaves the ORDER BY an f-string: the sort is still injectable, but nothing
#: here doubles quotes. It fails most of the checks the quote-doubling wrong fix fails.
PARAMETERISED_VALUES_FSTRING_SORT = '''
    like = "%" + q + "%"
    sql = """
        SELECT b.id, b.title, b.author, b.year, b.price, c.name, c.slug
        FROM books AS b
        JOIN categories AS c ON c.id = b.category_id
        WHERE (b.title LIKE %s OR b.author LIKE %s)
    """
    args = [like, like]
    if category:
        sql += "  AND c.slug = %s\\n"
        args.append(category)
    price_limit = _parse_price(max_price)
    if price_limit is not None:
        sql += "  AND b.price <= %s\\n"
        args.append(price_limit)
    direction = "DESC" if sort.startswith("-") else "ASC"
    sql += f"ORDER BY b.{sort.lstrip('-')} {direction}, b.title"

    with connection.cursor() as cursor:
        cursor.execute(sql, args)
'''
PARSE_PRICE = """

def _parse_price(value: str) -> Decimal | None:
    try:
        price = Decimal(value)
    except InvalidOperation:
        return None
    return price if price.is_finite() else None
"""
SORT_BLIND = "exploit:sort-order-blind"
SORT_MENU = "test_sort_order_is_limited_to_the_menu"
FROM_STRINGS = "test_no_sql_is_built_from_strings"
MALFORMED = "test_malformed_values_never_crash_the_search"


def test_a_parameterised_fix_with_an_fstring_sort_is_not_called_quote_doubling() -> None:
    """The failing checks are those of the quote-doubling wrong fix, but the code is not: the
    page must not claim the learner doubled quotes (it explains from the failed checks)."""
    slug = "django-raw-sql-search"
    lab = _bundle(slug)
    starter = lab.starter["catalogue/search.py"]
    head, _, rest = starter.partition('    sql = f"""')
    _, _, tail = rest.partition("        cursor.execute(sql)\n")
    text = head + PARAMETERISED_VALUES_FSTRING_SORT.lstrip("\n") + tail + PARSE_PRICE
    text = text.replace("import Decimal\n", "import Decimal, InvalidOperation\n")
    files = {"catalogue/search.py": text}
    assert "cursor.execute(sql, args)" in text and "InvalidOperation\n" in text
    # The tests each bad fix fails in the sandbox, as validation records them.
    signatures = {
        "escape-quotes-by-hand": [SORT_BLIND, MALFORMED, FROM_STRINGS, SORT_MENU],
        "strip-quotes": [
            "exploit:price-limit-lowercase-union", SORT_BLIND,
            "test_apostrophe_in_search_is_plain_text", MALFORMED,
            "test_max_price_filter_is_not_sql", FROM_STRINGS, SORT_MENU,
        ],
        "refuse-quotes": ["test_apostrophe_in_search_is_plain_text", MALFORMED, FROM_STRINGS],
        "double-quotes-and-allow-list-sort": [MALFORMED, FROM_STRINGS],
        "uppercase-keyword-blocklist": [
            "exploit:price-limit-lowercase-union", MALFORMED, "test_max_price_filter_is_not_sql",
            FROM_STRINGS, SORT_MENU,
        ],
    }  # fmt: skip
    signed = lab_fixes_from_bundle(LABS / slug, signatures=signatures)
    escape = next(bad for bad in signed.bad_fixes if bad.name == "escape-quotes-by-hand")
    failed = [
        FailedCheck(test=SORT_BLIND, kind="security"),
        FailedCheck(test=FROM_STRINGS, kind="security"),
        FailedCheck(test=SORT_MENU, kind="security"),
    ]
    match = recognise(
        lab=signed,
        submission_files=lab.overlay(files),
        failed_checks=failed,
        verdict="still_exploitable",
    )
    assert match is None or "Doubling quotes" not in match.message, match
    # The quote-doubling fix itself, failing the same check, is still recognised.
    match = recognise(
        lab=signed,
        submission_files=signed.overlay(escape.files),
        failed_checks=failed,
        verdict="still_exploitable",
    )
    assert match is not None and match.key == "escape-quotes-by-hand"
