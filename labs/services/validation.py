"""The eight rules a lab bundle must pass before it can be published (docs/LAB_FORMAT.md).

Rule 0 reads lab.toml only (the catalogue keys the compare pages need); every other rule runs in
the real sandbox, through the same ``grade``/``run_exploit`` the worker uses
(:mod:`labs.services.engine`). It runs in the worker (``labs.tasks.validate_lab_version``) or in
a management command (``validate_lab``, ``load_content``), never in a web request.
``manage.py validate_lab`` prints the report as a table; the admin shows the stored report.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from labs.models import CheckKind, CheckOutcome, Verdict
from labs.services.engine import (
    EXPLOIT_CHECK_PREFIX,
    PUBLIC_TESTS,
    GradeResult,
    LabSpec,
    grade,
    load_lab,
    run_exploit,
)
from labs.services.workspace import overlay_workspace

#: Rule 7 and rule 8's minimums (docs/LAB_FORMAT.md, "What makes a bundle valid").
MIN_BAD_FIXES = 3
MIN_VARIANTS = 2


@dataclass
class RuleResult:
    rule: str
    ok: bool
    detail: str


@dataclass
class ValidationReport:
    slug: str
    rules: list[RuleResult] = field(default_factory=list)
    #: For each bad fix, the hidden tests it fails: used to recognise a learner's fix as that kind
    #: of wrong fix and show its ``why``.
    bad_fix_signatures: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.rules) and all(rule.ok for rule in self.rules)

    def add(self, rule: str, ok: bool, detail: str) -> None:
        self.rules.append(RuleResult(rule, ok, detail))

    def as_dict(self) -> dict[str, object]:
        return {
            "slug": self.slug,
            "ok": self.ok,
            "rules": [asdict(rule) for rule in self.rules],
            "bad_fix_signatures": self.bad_fix_signatures,
        }


def failed_tests(result: GradeResult) -> list[str]:
    return sorted(check.test for check in result.checks if not check.passed)


def _failed(result: GradeResult, kind: str) -> list[str]:
    return [c.title for c in result.checks if c.kind == kind and not c.passed]


def _within_limits(result: GradeResult) -> bool:
    return result.verdict not in (Verdict.TIMEOUT, Verdict.RESOURCE_LIMIT, Verdict.GRADER_ERROR)


def validate_bundle(bundle_dir: Path) -> ValidationReport:
    """Apply every validation rule to the bundle folder; never raises for a bad bundle."""
    spec: LabSpec = load_lab(bundle_dir)
    report = ValidationReport(slug=spec.slug)
    _catalogue_rule(report, spec)
    work = Path(tempfile.mkdtemp(prefix="patchwise-validate-"))
    try:
        starter_ws = overlay_workspace(spec.app_dir, None, work / "starter")
        fixed_ws = overlay_workspace(spec.app_dir, spec.solution_dir, work / "fixed")

        starter = grade(lab=spec, workspace=starter_ws)
        functional_failures = _failed(starter, CheckKind.FUNCTIONAL)
        security_failures = _failed(starter, CheckKind.SECURITY)
        report.add(
            "1. starter passes every functional check and fails a security check",
            starter.verdict == Verdict.STILL_EXPLOITABLE and not functional_failures,
            f"verdict {starter.verdict}; functional failing: {functional_failures or 'none'}; "
            f"security failing: {len(security_failures)}" + _reason(starter),
        )

        fixed = grade(lab=spec, workspace=fixed_ws)
        public = grade(lab=spec, workspace=fixed_ws, tests=PUBLIC_TESTS)
        report.add(
            "2. starter + solution passes every check, public and hidden",
            fixed.passed and public.passed,
            f"hidden: {fixed.verdict} ({failed_tests(fixed) or 'all passed'}); "
            f"public: {public.verdict} ({failed_tests(public) or 'all passed'})" + _reason(fixed),
        )

        # The exploit checks are not listed in lab.toml: the scripts are their declaration.
        declared = {check.test for check in spec.all_checks}
        collected = set(fixed.collected) or set(starter.collected)
        missing = sorted(declared - collected)
        unchecked = sorted(collected - declared)
        report.add(
            "3. every check names a hidden test, and every hidden test has a check",
            bool(collected) and not missing and not unchecked,
            f"checks without a test: {missing or 'none'}; tests without a check: "
            f"{unchecked or 'none'}",
        )

        slowest = max(starter.duration_ms, fixed.duration_ms, public.duration_ms)
        report.add(
            "4. both runs finish inside [limits]",
            all(_within_limits(r) for r in (starter, fixed, public)),
            f"slowest run {slowest} ms; verdicts {starter.verdict}, {fixed.verdict}, "
            f"{public.verdict}",
        )

        _exploit_rule(report, spec, starter_ws, fixed_ws)
        _bad_fix_rule(report, spec, work)
        _bad_fix_count_rule(report, spec)
        _variants_rule(report, spec, starter, fixed)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _reason(result: GradeResult) -> str:
    return f" ({result.reason})" if result.reason else ""


def _exploit_rule(
    report: ValidationReport, spec: LabSpec, starter_ws: Path, fixed_ws: Path
) -> None:
    rule = "5. the reference exploit gets the flag from the starter, not from the fix"
    solve = spec.root / "exploit" / "solve.py"
    if spec.exploit is None or not solve.is_file():
        report.add(rule, False, "lab.toml has no [exploit] table or exploit/solve.py is missing")
        return
    script = solve.read_text()
    on_starter = run_exploit(lab=spec, workspace=starter_ws, script=script)
    on_fixed = run_exploit(lab=spec, workspace=fixed_ws, script=script)
    report.add(
        rule,
        on_starter.flag_found and not on_fixed.flag_found,
        f"starter: flag {'found' if on_starter.flag_found else 'NOT found'} "
        f"({on_starter.status}); fix: flag {'found' if on_fixed.flag_found else 'not found'}"
        + (f"; {on_starter.reason}" if on_starter.reason else ""),
    )


def _bad_fix_rule(report: ValidationReport, spec: LabSpec, work: Path) -> None:
    rule = "6. every bad fix gets the verdict its expect names"
    if not spec.bad_fixes:
        report.add(rule, True, "no bad fixes declared")
        return
    problems: list[str] = []
    seen: list[str] = []
    for bad in spec.bad_fixes:
        folder = spec.root / "bad_fixes" / bad.name
        if not folder.is_dir():
            problems.append(f"{bad.name}: folder bad_fixes/{bad.name} is missing")
            continue
        workspace = overlay_workspace(spec.app_dir, folder, work / f"bad-{bad.name}")
        result = grade(lab=spec, workspace=workspace)
        seen.append(f"{bad.name} -> {result.verdict}")
        if str(result.verdict) != bad.expect:
            problems.append(f"{bad.name}: expected {bad.expect}, got {result.verdict}")
        else:
            report.bad_fix_signatures[bad.name] = failed_tests(result)
    report.add(rule, not problems, "; ".join(problems) or ", ".join(seen))


def _catalogue_rule(report: ValidationReport, spec: LabSpec) -> None:
    """The keys the catalogue and the compare pages need; the loader has already checked any
    that are present, so only absence is left to report."""
    missing = []
    if not spec.vulnerability_class:
        missing.append("vulnerability_class (one of the classes in docs/LAB_FORMAT.md)")
    if spec.compare is None:
        missing.append('[compare] (vulnerable, fixed: "path:first-last" excerpts; defaults)')
    report.add(
        "0. lab.toml names its vulnerability_class and [compare] excerpts",
        not missing,
        f"missing: {'; '.join(missing)}"
        if missing
        else f"{spec.vulnerability_class}; {len(spec.compare.vulnerable)} vulnerable and "
        f"{len(spec.compare.fixed)} fixed excerpt(s)",
    )


def _bad_fix_count_rule(report: ValidationReport, spec: LabSpec) -> None:
    expects = [str(bad.expect) for bad in spec.bad_fixes]
    exploitable = expects.count(Verdict.STILL_EXPLOITABLE)
    broken = expects.count(Verdict.BROKEN)
    problems = []
    if len(expects) < MIN_BAD_FIXES:
        problems.append(f"{len(expects)} bad fix(es), at least {MIN_BAD_FIXES} needed")
    if not exploitable:
        problems.append("none expects still_exploitable")
    if not broken:
        problems.append("none expects broken")
    report.add(
        "7. at least three bad fixes, one still_exploitable and one broken",
        not problems,
        "; ".join(problems)
        or f"{len(expects)} bad fixes: {exploitable} still_exploitable, {broken} broken",
    )


def _variants_rule(
    report: ValidationReport, spec: LabSpec, starter: GradeResult, fixed: GradeResult
) -> None:
    """Read from the starter's and the fix's hidden gradings, where every exploit script already
    ran as an ``exploit:<name>`` check: a failed check is a flag that came back."""
    rule = "8. at least two exploit variants; every exploit gets the flag from the starter only"
    problems = []
    if len(spec.variants) < MIN_VARIANTS:
        problems.append(
            f"{len(spec.variants)} variant(s) in exploit/variants/, at least {MIN_VARIANTS} needed"
        )
    if spec.exploit is None:
        problems.append("lab.toml has no [exploit] table, so no exploit runs as a check")
    on_starter = {c.test: c for c in starter.checks if c.test.startswith(EXPLOIT_CHECK_PREFIX)}
    on_fixed = {c.test: c for c in fixed.checks if c.test.startswith(EXPLOIT_CHECK_PREFIX)}
    seen = []
    for check in spec.exploit_checks:
        name = check.test.removeprefix(EXPLOIT_CHECK_PREFIX)
        starter_check, fixed_check = on_starter.get(check.test), on_fixed.get(check.test)
        got_flag = starter_check is not None and starter_check.outcome == CheckOutcome.FAILED
        # A passed check with a message was stopped for time: scripts must finish (LAB_FORMAT).
        held = fixed_check is not None and fixed_check.passed and not fixed_check.message
        if not got_flag:
            outcome = starter_check.outcome if starter_check else "missing"
            problems.append(f"{name}: no flag from the starter ({outcome})")
        if fixed_check is None:
            problems.append(f"{name}: missing from the reference fix's grading")
        elif fixed_check.outcome == CheckOutcome.FAILED:
            problems.append(f"{name}: the flag also comes back from the reference fix")
        elif not fixed_check.passed:
            problems.append(f"{name}: did not run on the reference fix ({fixed_check.outcome})")
        elif not held:
            problems.append(f"{name}: on the reference fix: {fixed_check.message}")
        if got_flag and held:
            seen.append(name)
    report.add(rule, not problems, "; ".join(problems) or f"flag from the starter only: {seen}")
