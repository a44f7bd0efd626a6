"""The six rules a lab bundle must pass before it can be published (LAB_FORMAT.md).

Every rule runs in the real sandbox, through the same ``grade``/``run_exploit`` the worker uses.
``manage.py validate_lab`` prints the report as a table; the admin stores it on the version.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from labs.sandbox import GradeResult, LabSpec, Verdict, grade, load_lab, run_exploit
from labs.workspace import overlay_workspace


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


def validate_bundle(bundle_dir: Path, **sandbox: object) -> ValidationReport:
    """Apply every validation rule to the bundle folder; never raises for a bad bundle."""
    spec: LabSpec = load_lab(bundle_dir)
    report = ValidationReport(slug=spec.slug)
    work = Path(tempfile.mkdtemp(prefix="patchwise-validate-"))
    try:
        starter_ws = overlay_workspace(spec.app_dir, None, work / "starter")
        fixed_ws = overlay_workspace(spec.app_dir, spec.solution_dir, work / "fixed")

        starter = grade(lab=spec, workspace=starter_ws, **sandbox)
        functional_failures = _failed(starter, "functional")
        security_failures = _failed(starter, "security")
        report.add(
            "1. starter passes every functional check and fails a security check",
            starter.verdict == Verdict.STILL_EXPLOITABLE and not functional_failures,
            f"verdict {starter.verdict}; functional failing: {functional_failures or 'none'}; "
            f"security failing: {len(security_failures)}" + _reason(starter),
        )

        fixed = grade(lab=spec, workspace=fixed_ws, **sandbox)
        public = grade(lab=spec, workspace=fixed_ws, tests="tests/public", **sandbox)
        report.add(
            "2. starter + solution passes every check, public and hidden",
            fixed.passed and public.passed,
            f"hidden: {fixed.verdict} ({failed_tests(fixed) or 'all passed'}); "
            f"public: {public.verdict} ({failed_tests(public) or 'all passed'})" + _reason(fixed),
        )

        declared = {check.test for check in spec.checks}
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

        _exploit_rule(report, spec, starter_ws, fixed_ws, sandbox)
        _bad_fix_rule(report, spec, work, sandbox)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report


def _reason(result: GradeResult) -> str:
    return f" ({result.reason})" if result.reason else ""


def _exploit_rule(
    report: ValidationReport, spec: LabSpec, starter_ws: Path, fixed_ws: Path, sandbox: dict
) -> None:
    rule = "5. the reference exploit gets the flag from the starter, not from the fix"
    solve = spec.root / "exploit" / "solve.py"
    if spec.exploit is None or not solve.is_file():
        report.add(rule, False, "lab.toml has no [exploit] table or exploit/solve.py is missing")
        return
    script = solve.read_text()
    on_starter = run_exploit(lab=spec, workspace=starter_ws, script=script, **sandbox)
    on_fixed = run_exploit(lab=spec, workspace=fixed_ws, script=script, **sandbox)
    report.add(
        rule,
        on_starter.flag_found and not on_fixed.flag_found,
        f"starter: flag {'found' if on_starter.flag_found else 'NOT found'} "
        f"({on_starter.status}); fix: flag {'found' if on_fixed.flag_found else 'not found'}"
        + (f"; {on_starter.reason}" if on_starter.reason else ""),
    )


def _bad_fix_rule(report: ValidationReport, spec: LabSpec, work: Path, sandbox: dict) -> None:
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
        result = grade(lab=spec, workspace=workspace, **sandbox)
        seen.append(f"{bad.name} -> {result.verdict}")
        if str(result.verdict) != bad.expect:
            problems.append(f"{bad.name}: expected {bad.expect}, got {result.verdict}")
        else:
            report.bad_fix_signatures[bad.name] = failed_tests(result)
    report.add(rule, not problems, "; ".join(problems) or ", ".join(seen))
