"""The Excel template of the Department's registry of processes (п. 3.1), generated from the
``[[registry_column]]`` spec of ``columns.toml`` and the classifiers, like the Перечень's template.

Sheets: «Реестр» (one row per service, function or digital service: drop-downs for the direction
and the kind, an input message on every column, required headers marked, frozen header, no example
row — an example would be read as an entry; the examples are on «Инструкция»), «Инструкция» (what
the registry is for and how each column is filled) and «Справочники» (hidden and protected: the
lists behind the drop-downs). :func:`tpcheck.load_registry` reads a filled copy as it is.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from ..classifiers import Classifiers, Column
from ..output.atomic import atomic_path
from ..output.printing import print_layout, set_print
from ..output.rows import header_height
from .perechen import (
    TEMPLATE_VERSION,
    InstructionSheet,
    TemplateFormats,
    _list_name,
    _title,
    drop_down_validation,
    template_classifiers,
    template_workbook,
)

__all__ = ["REGISTRY_SHEET", "make_registry_template"]

#: The registry's data sheet (the sheet :func:`tpcheck.load_registry` reads is the first one).
REGISTRY_SHEET = "Реестр"
#: Rows of the registry sheet that carry drop-downs and hints.
REGISTRY_ROWS = 300


def _write_lists(book: xlsxwriter.Workbook, classifiers: Classifiers, fmt: TemplateFormats) -> None:
    """«Справочники»: one column per list the registry's columns use; a workbook name per list."""
    sheet = book.add_worksheet(classifiers.sheets.lists)
    used = list(dict.fromkeys(c.classifier for c in classifiers.registry_columns if c.classifier))
    for index, name in enumerate(used):
        lst = classifiers[name]
        sheet.write_string(0, index, f"{lst.title} ({lst.clause})", fmt.list_header)
        for row, entry in enumerate(lst.entries, start=1):
            sheet.write_string(row, index, entry.label, fmt.plain)
        sheet.set_column(index, index, min(max(max(len(e.label) for e in lst), 20), 90) * 1.0)
        letter = xlsxwriter.utility.xl_col_to_name(index)
        book.define_name(
            _list_name(name), f"='{sheet.name}'!${letter}$2:${letter}${len(lst.entries) + 1}"
        )
    sheet.freeze_panes(1, 0)
    sheet.protect("", {"autofilter": True, "sort": False})
    sheet.hide()


def _write_registry(
    book: xlsxwriter.Workbook,
    columns: tuple[Column, ...],
    classifiers: Classifiers,
    fmt: TemplateFormats,
) -> None:
    sheet = book.add_worksheet(REGISTRY_SHEET)
    paper, widths = print_layout([column.width for column in columns])
    for index, column in enumerate(columns):
        sheet.write_string(
            0, index, column.template_header, fmt.required if column.required else fmt.optional
        )
        sheet.set_column(index, index, widths[index], fmt.text)
        hint = {"validate": "any", "input_title": _title(column), "input_message": column.hint}
        sheet.data_validation(0, index, 0, index, hint)
        sheet.data_validation(
            1, index, REGISTRY_ROWS, index, drop_down_validation(column, classifiers)
        )
    sheet.set_row(0, header_height([c.template_header for c in columns], widths))
    sheet.freeze_panes(1, 0)
    set_print(sheet, widths, 0, paper=paper)
    sheet.autofilter(0, 0, REGISTRY_ROWS, len(columns) - 1)


def _write_instructions(
    book: xlsxwriter.Workbook,
    columns: tuple[Column, ...],
    classifiers: Classifiers,
    fmt: TemplateFormats,
) -> None:
    meta = classifiers.meta
    page = InstructionSheet(book, classifiers.sheets.instructions, (34, 14, 60, 30, 16), fmt)
    page.title("Как вести реестр процессов")
    page.line(
        f"{meta['organization']}. {meta['regulation']} ({meta['order']}). Перечень точек "
        "взаимодействия формируется с учетом реестра межведомственных и внутриведомственных "
        "процессов, который ведет Департамент (п. 3.1). По каждой функции, услуге и сервису "
        "реестра должны быть определены точки взаимодействия (п. 3.5)."
    )
    page.skip()
    steps = [
        f"1. Заполняйте лист «{REGISTRY_SHEET}»: одна строка — одна услуга, функция или сервис.",
        "2. Наименование пишите так, как его указывают подразделения в Перечне: по наименованию "
        "(или по коду, если в Перечне есть графа «Код») строки Перечня связываются с реестром.",
        "3. Направление деятельности (п. 3.5) и вид деятельности выбирайте из списка.",
        "4. Укажите ответственное подразделение: если у процесса нет ни одной точки "
        "взаимодействия, программа назовет это подразделение, чтобы было ясно, у кого запросить "
        "сведения.",
        "5. Заголовки не переименовывайте и столбцы не удаляйте. Сохраните файл как .xlsx "
        "(подойдут также .ods, .xls, .csv) и укажите его при проверке: "
        "tpcheck merge ПАПКА --registry ФАЙЛ.",
    ]
    for text in steps:
        page.line(text)
    page.skip()
    page.table(
        f"Графы листа «{REGISTRY_SHEET}»",
        ("Графа", "Обязательная", "Что указать", "Пример", "Пункт Порядка"),
        [
            (
                column.header,
                "да" if column.required else "нет",
                column.hint,
                column.example,
                column.clause,
            )
            for column in columns
        ],
    )
    page.legend()
    page.line(
        f"Шаблон реестра версии {TEMPLATE_VERSION}; классификаторы {classifiers.digest[:12]}. "
        "Шаблон создан программой tpcheck из классификаторов Порядка."
    )


def make_registry_template(
    path: str | Path, classifiers: Classifiers | str | Path | None = None
) -> Path:
    """Write the registry's template to *path* (atomically) and return the path.

    *classifiers* is a loaded :class:`~tpcheck.classifiers.Classifiers`, the path of an override
    file, or None for the built-in classifiers of приказ № 134.
    """
    path = Path(path)
    classifiers = template_classifiers(path, classifiers)
    meta = classifiers.meta
    columns = classifiers.registry_columns
    with atomic_path(path) as temporary:
        book = template_workbook(
            temporary,
            classifiers,
            title="Реестр процессов — шаблон",
            subject=f"{meta['regulation']} ({meta['order']}), п. 3.1",
            keywords="tpcheck, реестр процессов, шаблон",
            kind="Шаблон реестра версии",
        )
        fmt = TemplateFormats(book)
        _write_registry(book, columns, classifiers, fmt)
        _write_instructions(book, columns, classifiers, fmt)
        _write_lists(book, classifiers, fmt)
        book.worksheets()[0].activate()
        book.close()
    return path
