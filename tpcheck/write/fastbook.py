"""A faster xlsxwriter workbook: :class:`~.fastsheet.FastSheet` sheets, a faster writer of the
shared strings, and a lighter deflate level for the zip package.

* The shared strings part (``xl/sharedStrings.xml``) is written with the strings escaped in one
  pass over all of them, instead of three regular expressions per string; a workbook that holds any
  string XlsxWriter escapes specially (control characters, ``_xHHHH_``, U+FFFE/U+FFFF) is written
  by XlsxWriter's own code. The bytes are the same either way.
* The parts are deflated at level :data:`DEFLATE_LEVEL` instead of zlib's default 6: about four
  times less CPU for about a third larger files (the XML inside is the same).

Both hook into XlsxWriter where it allows it (``Workbook.worksheet_class``,
``Workbook._get_packager``); the deflate level by running XlsxWriter's own ``_store_workbook``
with a ``ZipInfo`` that carries the level.
"""

from __future__ import annotations

import io
import re
import types
import zipfile
from typing import Any

import xlsxwriter
from xlsxwriter import packager as _packager
from xlsxwriter import workbook as _workbook
from xlsxwriter.comments import Comments
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import _preserve_whitespace, xl_rowcol_to_cell
from xlsxwriter.vml import Vml

from .fastsheet import FastSheet

__all__ = ["DEFLATE_LEVEL", "Workbook"]

#: zlib level of the parts of every workbook tpcheck writes (XlsxWriter: the default, 6).
DEFLATE_LEVEL = 1
#: What XlsxWriter escapes specially in a shared string (``_escape_control_characters``).
_SPECIAL = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")


class _FastSharedStrings(SharedStrings):
    def _write_sst_strings(self) -> None:
        strings = self.string_table.string_array
        if _SPECIAL.search("\n".join(strings)):
            super()._write_sst_strings()
            return
        # no string has a control character, so "\x00" separates them safely
        escaped = "\x00".join(strings)
        escaped = escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        parts = []
        add = parts.append
        for string, text in zip(strings, escaped.split("\x00"), strict=True):
            if string.startswith("<r>") and string.endswith("</r>"):
                add(f"<si>{string}</si>")  # what XlsxWriter takes for a rich string
            elif string[:1].isspace() or string[-1:].isspace():
                add(f'<si><t xml:space="preserve">{text}</t></si>')
            else:
                add(f"<si><t>{text}</t></si>")
        self.fh.write("".join(parts))


class _FastVml(Vml):
    """The shape of each cell note, written as one string (XlsxWriter: a dozen tag writers)."""

    _middle: str | None = None

    def _constant_middle(self) -> str:
        """The part of every note's shape that does not depend on the note, as XlsxWriter
        writes it."""
        if self._middle is None:
            real, self.fh = self.fh, io.StringIO()
            try:
                self._write_comment_fill()
                self._write_shadow()
                self._write_comment_path(None, "none")
                self._write_comment_textbox()
                self._middle = self.fh.getvalue()
            finally:
                self.fh = real
        return self._middle

    def _write_comment_shape(self, shape_id: int, z_index: int, comment: Any) -> None:
        left, top, width, height = self._pixels_to_points(comment.vertices)
        visibility = "visible" if comment.is_visible else "hidden"
        style = self._escape_attributes(
            f"position:absolute;margin-left:{left:.15g}pt;margin-top:{top:.15g}pt;"
            f"width:{width:.15g}pt;height:{height:.15g}pt;z-index:{z_index};"
            f"visibility:{visibility}"
        )
        fill = self._escape_attributes(comment.color._vml_rgb_hex_value())
        col_start, row_start, x1, y1, col_end, row_end, x2, y2 = comment.vertices[:8]
        anchor = f"{col_start}, {x1}, {row_start}, {y1}, {col_end}, {x2}, {row_end}, {y2}"
        visible = "<x:Visible/>" if comment.is_visible else ""
        self.fh.write(
            f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="{style}" '
            f'fillcolor="{fill}" o:insetmode="auto">{self._constant_middle()}'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f"<x:Anchor>{anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>"
            f"<x:Row>{comment.row}</x:Row><x:Column>{comment.col}</x:Column>{visible}"
            "</x:ClientData></v:shape>"
        )


class _FastComments(Comments):
    """Each note of ``xl/comments*.xml`` written as one string."""

    def _write_comment(self, comment: Any, author_id: int) -> None:
        escape = self._escape_attributes
        font, family = escape(comment.font_name), escape(comment.font_family)
        author = f' authorId="{author_id}"' if author_id != -1 else ""
        preserve = ' xml:space="preserve"' if _preserve_whitespace(comment.text) else ""
        text = self._escape_control_characters(self._escape_data(comment.text))
        self.fh.write(
            f'<comment ref="{xl_rowcol_to_cell(comment.row, comment.col)}"{author}><text><r>'
            f'<rPr><sz val="{escape(comment.font_size)}"/><color indexed="81"/>'
            f'<rFont val="{font}"/><family val="{family}"/>'
            f"</rPr><t{preserve}>{text}</t></r></text></comment>"
        )


class _FastPackager(Packager):
    def _write_shared_strings_file(self) -> None:
        if not self.workbook.str_table.count:
            return
        sst = _FastSharedStrings()
        sst.string_table = self.workbook.str_table
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


class _LevelZipInfo(zipfile.ZipInfo):
    """A zip entry deflated at :data:`DEFLATE_LEVEL`."""

    __slots__ = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compresslevel = DEFLATE_LEVEL


def _with_globals(function: types.FunctionType, **names: object) -> types.FunctionType:
    """A copy of *function* that sees *names* in place of its module's globals of those names."""
    copy = types.FunctionType(
        function.__code__,
        {**function.__globals__, **names},
        function.__name__,
        function.__defaults__,
        function.__closure__,
    )
    copy.__kwdefaults__ = function.__kwdefaults__
    return copy


_store_workbook = (
    _with_globals(xlsxwriter.Workbook._store_workbook, ZipInfo=_LevelZipInfo)
    if getattr(_workbook, "ZipInfo", None) is zipfile.ZipInfo
    else xlsxwriter.Workbook._store_workbook
)


if getattr(_packager, "Vml", None) is Vml and getattr(_packager, "Comments", None) is Comments:
    _FastPackager._write_vml_files = _with_globals(  # type: ignore[method-assign]
        Packager._write_vml_files, Vml=_FastVml
    )
    _FastPackager._write_comment_files = _with_globals(  # type: ignore[method-assign]
        Packager._write_comment_files, Comments=_FastComments
    )


class Workbook(xlsxwriter.Workbook):
    """An xlsxwriter ``Workbook`` that writes the same XML faster (see the module's docstring)."""

    worksheet_class = FastSheet

    def _get_packager(self) -> Packager:
        return _FastPackager()

    def _store_workbook(self) -> None:
        _store_workbook(self)

    def close(self) -> None:
        """Write the file; then let go of the cells. Each sheet holds a bound method of its
        workbook, so a workbook with its sheets (and their millions of cells) is a reference cycle
        that only the cyclic garbage collector frees — which tpcheck pauses while writing
        (:func:`tpcheck.gcpause.paused_gc`). Breaking the cycle frees it as soon as it is
        dropped."""
        super().close()
        for sheet in self.worksheets_objs:
            sheet.workbook_add_format = None
