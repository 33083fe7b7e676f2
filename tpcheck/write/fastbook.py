"""A faster xlsxwriter workbook: :class:`~.fastsheet.FastSheet` sheets, a faster writer of the
shared strings, and a lighter deflate level for the zip package.

* The shared strings part (``xl/sharedStrings.xml``) is written with the strings escaped in one
  pass over all of them, instead of three regular expressions per string; a workbook that holds any
  string XlsxWriter escapes specially (control characters, ``_xHHHH_``, U+FFFE/U+FFFF) is written
  by XlsxWriter's own code. The bytes are the same either way.
* The parts are deflated at level :data:`DEFLATE_LEVEL` instead of zlib's default 6: about four
  times less CPU for about a third larger files (the XML inside is the same).
* Each part is deflated into the zip as XlsxWriter writes it (:class:`_PartWriter`), instead of
  XlsxWriter's ``in_memory`` way of holding every part of the workbook as text until the last
  one is made and then copying each into a string and its bytes: the consolidated workbook of
  100,000 rows peaked 440 MB higher while it was zipped. The writers of the big parts (rows,
  notes, their shapes, shared strings) :func:`drain` it every few hundred pieces. The entries,
  their order and their headers are the ones XlsxWriter writes (``ZipFile.writestr`` is
  ``open(…, "w").write``).

Both hook into XlsxWriter where it allows it (``Workbook.worksheet_class``,
``Workbook._get_packager``); the deflate level by running XlsxWriter's own ``_store_workbook``
with a ``ZipInfo`` that carries the level.
"""

from __future__ import annotations

import contextlib
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

__all__ = ["DEFLATE_LEVEL", "Workbook", "drain"]

#: zlib level of the parts of every workbook tpcheck writes (XlsxWriter: the default, 6).
DEFLATE_LEVEL = 1
#: What XlsxWriter escapes specially in a shared string (``_escape_control_characters``).
_SPECIAL = re.compile("_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def drain(handle: Any) -> None:
    """Deflate into the zip what was written so far to *handle*, when it is a part streamed into
    one (:class:`_PartWriter`); nothing otherwise."""
    method = getattr(handle, "drain", None)
    if method is not None:
        method()


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
        write = self.fh.write
        for start in range(0, len(parts), _DRAIN_EVERY):
            write("".join(parts[start : start + _DRAIN_EVERY]))
            drain(self.fh)


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
        if shape_id % _DRAIN_EVERY == 0:
            drain(self.fh)


class _FastComments(Comments):
    """Each note of ``xl/comments*.xml`` written as one string."""

    _notes = 0  # written so far: the part is drained every _DRAIN_EVERY

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
        self._notes += 1
        if self._notes % _DRAIN_EVERY == 0:
            drain(self.fh)


class _FastPackager(Packager):
    _part: _PartWriter | None = None

    def _filename(self, xml_filename: str) -> Any:
        archive = _OPEN.get(id(self.workbook.filename)) if self.in_memory else None
        if archive is None:
            return super()._filename(xml_filename)
        self._finish_part()  # the parts are made one after another
        self._part = _PartWriter(archive, xml_filename)
        self.filenames.append((self._part, xml_filename, False))
        return self._part

    def _finish_part(self) -> None:
        if self._part is not None:
            self._part.finish()
            self._part = None

    def _create_package(self) -> list[Any]:
        try:
            return super()._create_package()
        finally:
            self._finish_part()

    def _write_shared_strings_file(self) -> None:
        if not self.workbook.str_table.count:
            return
        sst = _FastSharedStrings()
        sst.string_table = self.workbook.str_table
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


#: Notes (or shared strings) written between two drains of a part into the zip.
_DRAIN_EVERY = 1024


class _StoredBytes(bytes):
    """What a part already streamed into the zip gives XlsxWriter to store: nothing more."""


_STORED_BYTES = _StoredBytes()


class _Stored(str):
    def encode(self, *args: Any, **kwargs: Any) -> bytes:
        return _STORED_BYTES


_STORED = _Stored()

#: The zips being written in this process, by the id of the workbook's file they write.
_OPEN: dict[int, _StreamingZip] = {}


class _StreamingZip(zipfile.ZipFile):
    """XlsxWriter's zip of a workbook, known to the packager while it is open, so that the parts
    can be streamed into it as they are made (:class:`_PartWriter`); the packager's later store
    of a streamed part is then skipped."""

    def __init__(self, file: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(file, *args, **kwargs)
        self._key = id(file)
        _OPEN[self._key] = self

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if data is _STORED_BYTES:
            return
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def close(self) -> None:
        _OPEN.pop(self._key, None)
        super().close()


class _PartWriter(io.StringIO):
    """A part of the workbook (its XML written by XlsxWriter) deflated straight into the zip;
    XlsxWriter takes it for its in-memory ``StringIO``. What is written gathers in a plain
    ``StringIO`` (its ``write`` is C: a part is written in millions of pieces) until
    :meth:`drain` — called by the writers of the big parts every few hundred rows or notes, see
    :func:`drain` — or the end of the part deflates it."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        super().__init__()
        info = _LevelZipInfo(name, (1980, 1, 1, 0, 0, 0))  # as XlsxWriter's in-memory store
        info.compress_type = archive.compression
        self._stream: Any = archive.open(info, "w")
        self._buffer = io.StringIO()
        self.write = self._buffer.write  # type: ignore[method-assign]

    def drain(self) -> None:
        """Deflate into the zip what was written so far."""
        buffer = self._buffer
        if buffer.tell():
            self._stream.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()

    def finish(self) -> None:
        if self._stream is not None:
            self.drain()
            self._stream.close()
            self._stream = None

    def getvalue(self) -> str:
        if self._stream is not None:
            raise RuntimeError("a part of the workbook was read before it was finished")
        return _STORED


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
    _with_globals(xlsxwriter.Workbook._store_workbook, ZipInfo=_LevelZipInfo, ZipFile=_StreamingZip)
    if getattr(_workbook, "ZipInfo", None) is zipfile.ZipInfo
    and getattr(_workbook, "ZipFile", None) is zipfile.ZipFile
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
        try:
            _store_workbook(self)
        finally:
            left = _OPEN.pop(id(self.filename), None)
            if left is not None:  # failed midway: let go of the file (the caller removes it)
                with contextlib.suppress(Exception):
                    zipfile.ZipFile.close(left)

    def close(self) -> None:
        """Write the file; then let go of the cells. Each sheet holds a bound method of its
        workbook, so a workbook with its sheets (and their millions of cells) is a reference cycle
        that only the cyclic garbage collector frees — which tpcheck pauses while writing
        (:func:`tpcheck.gcpause.paused_gc`). Breaking the cycle frees it as soon as it is
        dropped."""
        super().close()
        for sheet in self.worksheets_objs:
            sheet.workbook_add_format = None
