"""Generate the documentation that is derived from data: docs/issues.md (the table of issue codes)
and docs/classifiers.md (the lists of the regulation and the template's columns).

``python -m tpcheck.docs`` rewrites both; a test fails when the committed files are out of date.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from .classifiers import LIST_KEYS, Classifiers, Entry, default_classifiers
from .findings import issue_types

__all__ = ["classifiers_markdown", "issues_markdown", "write_docs"]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def issues_markdown() -> str:
    """docs/issues.md: every issue code with its severity, clause, title and message."""
    lines = [
        "# Коды замечаний tpcheck",
        "",
        "Генерируется из `tpcheck/data/issues.toml` командой `python -m tpcheck.docs`; "
        "не правьте вручную.",
        "",
        "`error` — ошибка: строка не войдет в публикуемый Перечень, пока ее не исправят; "
        "`warning` — предупреждение: показывается, строка остается. Область: `file` — весь файл, "
        "`cell` — ячейка, `row` — строка.",
        "",
        "| код | уровень | область | пункт | что означает | сообщение (ru) | message (en) |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind in issue_types().values():
        lines.append(
            f"| `{kind.code}` | {kind.severity} | {kind.scope} | {_cell(kind.clause)} | "
            f"{_cell(kind.title['ru'])} | {_cell(kind.message['ru'])} | "
            f"{_cell(kind.message['en'])} |"
        )
    return "\n".join(lines) + "\n"


def classifiers_markdown(classifiers: Classifiers | None = None) -> str:
    """docs/classifiers.md: the lists, the columns, and how an override file changes them."""
    c = classifiers or default_classifiers()
    lines = [
        "# Классификаторы и графы шаблона",
        "",
        "Генерируется из `tpcheck/data/classifiers.toml` и `tpcheck/data/columns.toml` командой "
        "`python -m tpcheck.docs`; не правьте вручную.",
        "",
        "## Как Департамент (или другой орган) меняет списки",
        "",
        "Передайте файл TOML того же вида: `tpcheck merge … --classifiers my.toml` "
        '(в библиотеке — `tpcheck.load_classifiers("my.toml")`).',
        "",
        "- запись с существующим `code` заменяет указанные ключи (`label`, `synonyms`, …);",
        "- запись с новым `code` добавляется (нужны `label` и `clause`);",
        "- `remove = true` удаляет запись с этим `code`;",
        '- `replace = ["need"]` в начале файла заменяет список целиком;',
        "- `[meta]` меняет название органа и Перечня, `[[column]]` (по `key`) — заголовки и "
        "подсказки граф.",
        "",
        "Неизвестный ключ, повтор кода, пустое название или ссылка на несуществующий код — "
        "ошибка с указанием записи.",
        "",
        "```toml",
        "[meta]",
        'organization = "Министерство образования Кузбасса"',
        "",
        "[[touchpoint_type]]",
        'code = "kiosk"',
        'label = "информационный киоск"',
        'clause = "п. 2.5"',
        'channel = "digital"',
        "requirements = []",
        "",
        "[[need]]",
        'code = "7"',
        "remove = true",
        "```",
        "",
        "Ключи записей каждого списка, кроме общих `code`, `label`, `clause`, `synonyms` и "
        "`ambiguous` (слова, которые могут означать эту запись или другую: такое значение не "
        "угадывается, а вызывает замечание `value-ambiguous` с вариантами):",
        "",
    ]
    for name, keys in LIST_KEYS.items():
        lines.append(f"- `{name}`: {', '.join(f'`{k}`' for k in keys) or '—'}")
    for name, lst in c.lists.items():
        lines += [
            "",
            f"## {lst.title} (`{name}`, {lst.clause})",
            "",
            "| код | значение | пункт | синонимы |",
            "|---|---|---|---|",
        ]
        for e in lst:
            lines.append(
                f"| `{e.code}` | {_cell(e.label)} | {_cell(e.clause)} | "
                f"{_cell('; '.join(e.synonyms))} |"
            )
        lines += _entry_notes(lst.entries)
        off = c.extensions.get(name, ())
        if off:
            lines += [
                "",
                "Расширения, выключенные по умолчанию (включаются ключом `enabled = true` в файле "
                "классификаторов или `tpcheck template --extension КОД`):",
                "",
                "| код | значение | пункт | синонимы |",
                "|---|---|---|---|",
            ]
            for e in off:
                lines.append(
                    f"| `{e.code}` | {_cell(e.label)} | {_cell(e.clause)} | "
                    f"{_cell('; '.join(e.synonyms))} |"
                )
            lines += _entry_notes(off)
    for title, columns in (
        ("Графы листа «Перечень»", c.columns),
        ("Графы листа «Требования п. 4.2»", c.requirement_columns),
    ):
        lines += [
            "",
            f"## {title}",
            "",
            "| key | заголовок | обяз. | список | несколько | пункт | подсказка |",
            "|---|---|---|---|---|---|---|",
        ]
        for col in columns:
            lines.append(
                f"| `{col.key}` | {_cell(col.header)} | {'да' if col.required else 'нет'} | "
                f"{col.classifier or ''} | {'да' if col.multi else ''} | {_cell(col.clause)} | "
                f"{_cell(col.hint)} |"
            )
    lines += ["", *_corrections().rstrip("\n").split("\n")]
    return "\n".join(lines) + "\n"


def _entry_notes(entries: Iterable[Entry]) -> list[str]:
    """The notes below a list's table: restored text, extensions, ambiguous words."""
    notes = []
    for e in entries:
        if e.get("restored") and e.get("note"):
            notes.append(f"- `{e.code}` восстановлено: {e.get('note')}")
        if e.get("extension"):
            notes.append(f"- `{e.code}` — расширение: {e.get('extension')}")
        if e.get("ambiguous"):
            words = ", ".join(f"«{w}»" for w in e.get("ambiguous"))
            notes.append(f"- `{e.code}`: {words} — не синонимы, а повод спросить (value-ambiguous)")
        if e.get("limit_warning"):
            notes.append(
                f"- `{e.code}`: превышение предела — предупреждение, а не ошибка (предел "
                "установлен «при максимальном уровне клиентоцентричности»)"
            )
    return ["", *notes] if notes else []


def _corrections() -> str:
    """The corrections of the classifiers and the defects of the Порядок's text (data file)."""
    return resources.files("tpcheck.data").joinpath("corrections.md").read_text(encoding="utf-8")


def write_docs(folder: str | Path = "docs") -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (
        ("issues.md", issues_markdown()),
        ("classifiers.md", classifiers_markdown()),
    ):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_docs(sys.argv[1] if len(sys.argv) > 1 else "docs"):
        print(path)
