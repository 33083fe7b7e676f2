"""The Excel template the subdivisions fill, generated from the classifiers and the column spec.

Sheets: «Перечень» (drop-downs on every single-value classifier column, an input message on every
column, required headers marked, frozen header, one example row), «Требования п. 4.2» (long format),
«Инструкция» (how to fill, with the clause behind each column) and «Справочники» (hidden and
protected: the lists behind the drop-downs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from ..classifiers import Classifiers, Column, Entry, default_classifiers, load_classifiers
from ..output.atomic import atomic_path, ensure_not_input
from ..output.formats import HEADER, Formats, fill
from ..output.kind import mark
from ..output.numbers import as_number
from ..output.printing import print_layout, set_print
from ..output.rows import header_height, wrapped_height

__all__ = ["TEMPLATE_VERSION", "make_template"]

#: Version of the template's layout; written to the workbook's properties. Raise it when the
#: layout changes (not when only the classifiers change: their hash is written too).
TEMPLATE_VERSION = "1.0"
#: Creation date written to the properties, fixed so that the same classifiers give the same file.
TEMPLATE_DATE = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)


def _title(column: Column) -> str:
    """Input-message title: Excel allows 32 characters."""
    title = column.header.split(" (")[0]
    return title if len(title) <= 32 else title[:31] + "…"


def _list_name(classifier: str) -> str:
    return f"list_{classifier}"


class TemplateFormats(Formats):
    """The output kit's formats (:class:`~tpcheck.output.formats.Formats`, Calibri, wrapped) and
    the template's own: the headers of required and optional columns and their legend."""

    def __init__(self, book: xlsxwriter.Workbook):
        super().__init__(book)
        header = {**HEADER, "valign": "vcenter", "align": "center"}
        self.required = self.add(header, fill("header_required"))
        self.optional = self.add(header, fill("header_optional"))
        self.cell_bold = self.add(border=1, bold=True)
        self.bold = self.add(bold=True)
        self.list_header = self.add(bold=True, **fill("header_plain"))
        self.legend_required = self.add(fill("header_required"), border=1)
        self.legend_optional = self.add(fill("header_optional"), border=1)


def write_hidden_lists(
    book: xlsxwriter.Workbook, classifiers: Classifiers, fmt: TemplateFormats
) -> None:
    """«Справочники»: one column per list used by a column; a workbook name per list."""
    sheet = book.add_worksheet(classifiers.sheets.lists)
    used = []
    for column in (*classifiers.columns, *classifiers.requirement_columns):
        if column.classifier and column.classifier not in used:
            used.append(column.classifier)
    for index, name in enumerate(used):
        entries = classifiers[name].entries
        sheet.write_string(
            0, index, f"{classifiers[name].title} ({classifiers[name].clause})", fmt.list_header
        )
        for row, entry in enumerate(entries, start=1):
            sheet.write_string(row, index, entry.label, fmt.plain)
        width = max(len(e.label) for e in entries)
        sheet.set_column(index, index, min(max(width, 20), 90) * 1.0)
        letter = xl_col_to_name(index)
        book.define_name(
            _list_name(name), f"='{sheet.name}'!${letter}$2:${letter}${len(entries) + 1}"
        )
    sheet.freeze_panes(1, 0)
    sheet.protect("", {"autofilter": True, "sort": False})
    sheet.hide()


def drop_down_validation(column: Column, classifiers: Classifiers) -> dict:
    """The data validation of a data cell: a list for a single-value classifier, else a hint."""
    options: dict = {
        "input_title": _title(column),
        "input_message": column.hint,
        "show_input": True,
    }
    if column.classifier and not column.multi:
        options.update(
            validate="list",
            source=f"={_list_name(column.classifier)}",
            error_type="stop",
            error_title="Значение не из списка",
            error_message=(
                f"Выберите значение из списка «{classifiers[column.classifier].title}» "
                f"({classifiers[column.classifier].clause})."
            ),
        )
    else:
        options.update(validate="any")
    return options


def _write_table(
    book: xlsxwriter.Workbook,
    name: str,
    columns: tuple[Column, ...],
    classifiers: Classifiers,
    fmt: TemplateFormats,
) -> None:
    sheet = book.add_worksheet(name)
    last_row = classifiers.sheets.rows_prepared
    paper, widths = print_layout([column.width for column in columns])
    for index, column in enumerate(columns):
        header_format = fmt.required if column.required else fmt.optional
        sheet.write_string(0, index, column.template_header, header_format)
        sheet.set_column(index, index, widths[index], fmt.text)
        sheet.data_validation(
            0,
            index,
            0,
            index,
            {
                "validate": "any",
                "input_title": _title(column),
                "input_message": column.hint,
            },
        )
        sheet.data_validation(1, index, last_row, index, drop_down_validation(column, classifiers))
        example = as_number(column.example)  # «10» is a number, not «number stored as text»
        if type(example) is int:
            sheet.write_number(1, index, example, fmt.example)
        else:
            sheet.write_string(1, index, column.example, fmt.example)
    sheet.set_row(0, header_height([c.template_header for c in columns], widths))
    sheet.set_row(1, wrapped_height(zip((c.example for c in columns), widths, strict=True)))
    sheet.freeze_panes(1, 0)
    set_print(sheet, widths, 0, paper=paper)
    sheet.autofilter(0, 0, last_row, len(columns) - 1)


class InstructionSheet:
    """An «Инструкция» sheet written top to bottom, for the Перечень's and the registry's
    templates: a title, text lines merged across the sheet and wrapped, tables with a heading,
    and the legend of the required and optional headers; landscape, one page wide."""

    def __init__(
        self, book: xlsxwriter.Workbook, name: str, widths: tuple[float, ...], fmt: TemplateFormats
    ):
        self.sheet = book.add_worksheet(name)
        self.widths = widths
        self.fmt = fmt
        self.row = 0
        for index, width in enumerate(widths):
            self.sheet.set_column(index, index, width)
        set_print(self.sheet, widths)

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def title(self, text: str) -> None:
        self.sheet.write_string(self.row, 0, text, self.fmt.title)
        self.row += 2

    def line(self, text: str, style: Any = None) -> None:
        self.sheet.merge_range(
            self.row, 0, self.row, len(self.widths) - 1, text, style or self.fmt.plain
        )
        self.sheet.set_row(self.row, wrapped_height([(text, sum(self.widths))]))
        self.row += 1

    def table(self, title: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        """*title*, the bold *header* and the *rows*, each as tall as its longest text needs;
        then a blank row."""
        fmt = self.fmt
        self.sheet.write_string(self.row, 0, title, fmt.subtitle)
        self.row += 1
        for col, text in enumerate(header):
            self.sheet.write_string(self.row, col, text, fmt.cell_bold)
        self.row += 1
        for values in rows:
            for col, text in enumerate(values):
                self.sheet.write_string(self.row, col, text, fmt.boxed)
            self.sheet.set_row(self.row, wrapped_height(zip(values, self.widths, strict=False)))
            self.row += 1
        self.row += 1

    def legend(self) -> None:
        """How required and optional headers look; then a blank row."""
        self.sheet.write_string(self.row, 0, "Обязательные графы", self.fmt.legend_required)
        self.sheet.write_string(self.row, 1, "отмечены «*»", self.fmt.plain)
        self.row += 1
        self.sheet.write_string(self.row, 0, "Необязательные графы", self.fmt.legend_optional)
        self.row += 2


def _write_instructions(
    book: xlsxwriter.Workbook, classifiers: Classifiers, fmt: TemplateFormats
) -> None:
    sheets = classifiers.sheets
    meta = classifiers.meta
    page = InstructionSheet(book, sheets.instructions, (34, 14, 80, 22), fmt)
    page.title(f"Как заполнить {meta['list_title'].lower()}")
    page.line(
        f"{meta['organization']}. {meta['regulation']} ({meta['order']}). Сведения готовит "
        "структурное подразделение или подведомственное учреждение, которое оказывает услугу, "
        "осуществляет функцию или предоставляет сервис (п. 3.4), и передает файл "
        "уполномоченному лицу (п. 3.2–3.3). Уполномоченное лицо проверяет полноту и соответствие "
        "Порядку и возвращает файл с замечаниями, если они есть."
    )
    page.skip()
    steps = [
        f"1. Заполняйте лист «{sheets.data}»: одна строка — одна точка взаимодействия одной "
        "услуги, функции или сервиса. Точки, которые мало востребованы или по которым учет "
        "обращений не ведется, тоже указываются (п. 3.5).",
        "2. Перечень формируется отдельно по каждому направлению деятельности (п. 3.5): "
        "выберите направление в первой графе каждой строки.",
        "3. В рамках одного процесса точка не дублируется: укажите ее один раз и перечислите в "
        "ней все удовлетворяемые потребности клиента (п. 3.7).",
        "4. У каждой услуги (функции) должна быть цифровая точка — онлайн-каналы "
        "преимущественные (п. 3.8 2)) — и точка для тех, кто не может ими воспользоваться: "
        "телефон, личный прием, письменное обращение (п. 3.8 4)). Если такие точки ведет другое "
        "подразделение, указывать их не нужно: услуга проверяется по всем файлам Департамента.",
        "5. Графы с выпадающим списком заполняйте только значениями из списка. Подсказка "
        "появляется, когда вы встаете на ячейку.",
        f"6. Строку «{sheets.example_marker}» можно оставить или удалить: при проверке она "
        "не учитывается. Заголовки не переименовывайте и столбцы не удаляйте.",
        f"7. Для ключевых точек (п. 4.2) заполните лист «{sheets.requirements}»: по строке на "
        f"каждое требование, со ссылкой на № строки листа «{sheets.data}».",
        "8. Сохраните файл как .xlsx (подойдут также .ods, .xls) и передайте уполномоченному лицу.",
    ]
    for text in steps:
        page.line(text)
    page.skip()
    restored = [
        entry.get("note")
        for name in ("direction", "touchpoint_type", "requirement")
        for entry in classifiers[name]
        if entry.get("restored") and entry.get("note")
    ]
    for text in restored:
        page.line(f"Обратите внимание: {text[0].lower()}{text[1:]}", fmt.bold)
    page.skip()
    for name, columns in (
        (sheets.data, classifiers.columns),
        (sheets.requirements, classifiers.requirement_columns),
    ):
        page.table(
            f"Графы листа «{name}»",
            ("Графа", "Обязательная", "Что указать", "Пункт Порядка"),
            [(c.header, "да" if c.required else "нет", c.hint, c.clause) for c in columns],
        )
    page.legend()
    for name in ("direction", "need"):
        lst = classifiers[name]
        page.table(
            f"{lst.title} ({lst.clause})",
            ("Значение", "Код", "Пояснение", "Пункт"),
            [(e.label, e.code, e.get("note", ""), e.clause) for e in lst],
        )
    channels = {e.code: e.label for e in classifiers["channel"]}
    page.table(
        "Типы точек, их вид и требования п. 4.2",
        ("Тип точки", "Вид", "Требования п. 4.2", "Пункт"),
        [
            (
                e.label,
                channels.get(e.get("channel"), "цифровая или оффлайн"),
                ", ".join(e.get("requirements", ())) or "—",
                e.clause,
            )
            for e in classifiers["touchpoint_type"]
        ],
    )
    requirements = classifiers["requirement"]
    page.table(
        f"{requirements.title} ({requirements.clause}): полный текст",
        ("Пункт", "Ответ", "Требование", "Предел"),
        [
            (
                e.clause,
                "да / нет" if e.get("kind") == "yes_no" else f"число, {e.get('unit')}",
                e.label,
                _limit_text(e),
            )
            for e in requirements
        ],
    )
    page.line(
        f"Шаблон версии {TEMPLATE_VERSION}; классификаторы {classifiers.digest[:12]}. "
        "Шаблон создан программой tpcheck из классификаторов Порядка."
    )


def _limit_text(entry: Entry) -> str:
    """The limit of a numeric requirement as the Instruction states it."""
    if entry.get("limit") is None:
        return "—"
    limit = f"не более {entry.get('limit')} {entry.get('unit')}"
    if entry.get("limit_warning"):
        return f"{limit} (при максимальном уровне клиентоцентричности; превышение — предупреждение)"
    return limit


def template_classifiers(path: Path, classifiers: Classifiers | str | Path | None) -> Classifiers:
    """The classifiers a template at *path* is made from: *classifiers* as loaded, the override
    file at that path (which the template must not overwrite), or the built-in ones."""
    if classifiers is None:
        return default_classifiers()
    if not isinstance(classifiers, Classifiers):
        ensure_not_input(path, [classifiers])
        return load_classifiers(classifiers)
    return classifiers


def template_workbook(
    temporary: Path,
    classifiers: Classifiers,
    *,
    title: str,
    subject: str,
    keywords: str,
    kind: str,
    output_kind: str = "template",
) -> xlsxwriter.Workbook:
    """A new xlsxwriter workbook for a template (every text written as text) with its document
    properties: *title*, *subject*, *keywords*, and the template version and classifiers hash
    in the comments (after *kind*, e.g. «Шаблон версии») and in custom properties, with
    *output_kind* as the ``tpcheck-kind`` property (:mod:`tpcheck.output.kind`)."""
    book = xlsxwriter.Workbook(
        str(temporary),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    book.set_properties(
        {
            "title": title,
            "subject": subject,
            "author": "tpcheck",
            "company": classifiers.meta["organization"],
            "keywords": keywords,
            "comments": f"{kind} {TEMPLATE_VERSION}, классификаторы sha256 {classifiers.digest}",
            "created": TEMPLATE_DATE,
        }
    )
    mark(book, output_kind)
    book.set_custom_property("tpcheck_template_version", TEMPLATE_VERSION)
    book.set_custom_property("tpcheck_classifiers_sha256", classifiers.digest)
    return book


def make_template(
    path: str | Path,
    classifiers: Classifiers | str | Path | None = None,
    *,
    extensions: Iterable[str] = (),
) -> Path:
    """Write the template to *path* (atomically) and return the path.

    *classifiers* is a loaded :class:`~tpcheck.classifiers.Classifiers`, the path of an override
    file, or None for the built-in classifiers of приказ № 134. *extensions*: codes of the
    extension entries to offer (``["api"]``: the type «СМЭВ, API», which the Порядок does not
    name; off by default, see docs/classifiers.md).
    """
    path = Path(path)
    classifiers = template_classifiers(path, classifiers).with_extensions(extensions)
    meta = classifiers.meta
    with atomic_path(path) as temporary:
        book = template_workbook(
            temporary,
            classifiers,
            title=f"{meta['list_title']} — шаблон",
            subject=f"{meta['regulation']} ({meta['order']})",
            keywords="tpcheck, перечень точек взаимодействия, шаблон",
            kind="Шаблон версии",
        )
        fmt = TemplateFormats(book)
        _write_table(book, classifiers.sheets.data, classifiers.columns, classifiers, fmt)
        _write_table(
            book, classifiers.sheets.requirements, classifiers.requirement_columns, classifiers, fmt
        )
        _write_instructions(book, classifiers, fmt)
        write_hidden_lists(book, classifiers, fmt)
        book.worksheets()[0].activate()
        book.close()
    return path
