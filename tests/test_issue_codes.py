"""Every issue code used in tpcheck/ is in tpcheck/data/issues.toml, every code there is in the
generated table docs/issues.md, and every validation code is explained in docs/validation.md."""

from __future__ import annotations

import ast
import re

from tpcheck.docs import issues_markdown
from tpcheck.findings import issue_types
from tpcheck.validation.schema import CHECKS

from .conftest import ROOT

CODE = re.compile(r"^[a-z]+(?:-[a-z]+)+$")
#: Calls whose string arguments are issue codes.
ISSUE_CALLS = {
    "issue",
    "cell",
    "general",
    "CheckMapping",
    "_without_note",
    "IssueType",
    "Issue",
    "_registry_cell",
    "_mismatch",
}
VALIDATION_MODULES = (
    "validation/schema.py",
    "validation/rules.py",
    "validation/requirement_rules.py",
    "validation/completeness.py",
)


def _called_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def codes_used(*names: str) -> dict[str, set[str]]:
    """code → the files of tpcheck/ that pass it to an issue-making call."""
    found: dict[str, set[str]] = {}
    paths = (
        [ROOT / "tpcheck" / n for n in names] if names else sorted((ROOT / "tpcheck").rglob("*.py"))
    )
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called_name(node) in ISSUE_CALLS:
                arguments = [*node.args, *(k.value for k in node.keywords if k.arg == "code")]
                for arg in arguments:
                    if (
                        isinstance(arg, ast.Constant)
                        and isinstance(arg.value, str)
                        and CODE.match(arg.value)
                    ):
                        found.setdefault(arg.value, set()).add(path.name)
    return found


VALIDATION_CODES = {
    "required-missing",
    "value-not-in-list",
    "text-too-long",
    "channel-mismatch",
    "other-need-without-note",
    "other-type-without-note",
    "basis-without-requisites",
    "duplicate-touchpoint",
    "duplicate-across-files",
    "location-mismatch",
    "direction-client-mismatch",
    "number-duplicate",
    "requirement-row-unknown",
    "requirement-not-applicable",
    "requirement-bad-value",
    "requirement-over-limit",
    "requirement-over-target",
    "value-ambiguous",
    "requirements-incomplete",
    "requirement-not-met",
    "requirement-duplicate",
    "requirements-missing",
    "roster-no-submission",
    "subdivision-not-on-roster",
    "registry-activity-missing",
    "activity-not-in-registry",
    "registry-value-not-in-list",
    "registry-direction-mismatch",
    "registry-kind-mismatch",
}


def test_the_scan_finds_every_code_of_validation():
    assert set(codes_used(*VALIDATION_MODULES)) == VALIDATION_CODES


def test_every_code_used_in_the_source_is_in_issues_toml():
    known = set(issue_types())
    used = codes_used()
    used.update({mapping.code: {"schema.py CHECKS"} for mapping in CHECKS.values()})
    missing = {code: sorted(files) for code, files in used.items() if code not in known}
    assert missing == {}, "add these codes to tpcheck/data/issues.toml"


def test_docs_issues_md_is_generated_from_issues_toml():
    committed = (ROOT / "docs" / "issues.md").read_text(encoding="utf-8")
    assert committed == issues_markdown(), "run: python -m tpcheck.docs"
    for code in issue_types():
        assert f"| `{code}` |" in committed, code


def test_every_validation_code_is_explained_in_docs_validation_md():
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    used = set(codes_used(*VALIDATION_MODULES)) | {m.code for m in CHECKS.values()}
    undocumented = sorted(code for code in used if f"`{code}`" not in text)
    assert undocumented == [], "describe these codes in docs/validation.md"


def test_every_code_has_both_languages_and_renders_with_its_own_placeholders():
    for kind in issue_types().values():
        assert set(kind.message) == {"ru", "en"}, kind.code
        assert set(kind.title) == {"ru", "en"}, kind.code
        assert set(kind.suggestion) in (set(), {"ru", "en"}), kind.code


def test_no_advice_names_a_file_of_the_repository():
    """A pip user has no templates/ folder: advice names the command that writes the file."""
    texts = (ROOT / "tpcheck" / "data" / "issues.toml").read_text(encoding="utf-8")
    assert "templates/" not in texts
    assert "tpcheck template -o perechen_template.xlsx" in texts
