"""Documentation that is generated from data is up to date; every command has help."""

from __future__ import annotations

from tpcheck.cli import COMMANDS, build_parser
from tpcheck.docs import classifiers_markdown
from tpcheck.i18n import LANGS, RUSSIAN_ONLY, text

from .conftest import ROOT


def test_classifiers_doc_is_up_to_date():
    committed = (ROOT / "docs" / "classifiers.md").read_text(encoding="utf-8")
    assert committed == classifiers_markdown(), "run: python -m tpcheck.docs"


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        for lang in LANGS:
            assert text(f"cli.help.{name}", lang).strip()
        assert f"tpcheck {name}" in readme, f"README does not show `tpcheck {name}`"
    for lang in LANGS:
        assert build_parser(lang).format_help()


def test_the_russian_only_outputs_are_written_down_in_the_help_and_the_readme():
    """RUSSIAN_ONLY (the publication for the site, the template, the consolidated headers) is
    said in `tpcheck --help` in both languages and in the README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "TPCHECK_LANG" in readme and "всегда на русском" in readme
    for lang in LANGS:
        epilog = " ".join(build_parser(lang).format_help().split())
        assert "tpcheck publish" in epilog and "tpcheck template" in epilog
        assert ("Всегда на русском" if lang == "ru" else "Always in Russian") in epilog
    assert set(RUSSIAN_ONLY) == {"publication", "template", "consolidated_headers"}


def test_readme_shows_the_real_output_of_the_merge_on_the_samples(tmp_path, monkeypatch, capsys):
    import re
    import shutil

    from tpcheck.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.search(r"```bash\n(.*?)```", readme, re.S).group(1).splitlines()
    assert commands == [
        "pip install . && tpcheck merge samples -o out",
        'pip install ".[test]" && pytest',
    ]
    shown = re.search(
        r"real output of `tpcheck merge samples -o out`.*?```\n(.*?)```", readme, re.S
    ).group(1)
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    assert main(["merge", "samples", "-o", "out"]) == 1
    assert capsys.readouterr().out == shown


def test_readme_shows_the_real_output_of_the_completeness_check(tmp_path, monkeypatch, capsys):
    import re
    import shutil

    from tpcheck.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "merge samples -o out --roster samples/roster.txt --registry samples/registry.csv"
    shown = re.search(rf"real output of\s+`tpcheck {command}`:\n\n```\n(.*?)```", readme, re.S)
    assert shown, "README does not show the completeness check on the samples"
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    assert main(command.split()) == 1
    assert capsys.readouterr().out == shown.group(1)
