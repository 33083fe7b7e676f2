"""The bounds every input is read within (sizes, cells, CPU time, memory)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "Limits"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds of the reader. A file beyond a size bound is refused before any parser sees it
    (``file-too-large``); a parser beyond the CPU or memory bound is stopped and the file
    reported as unreadable, the run goes on.

    ``max_file_size``       bytes on disk
    ``max_part_size``       declared uncompressed bytes of one part of a zip package
    ``max_total_size``      declared uncompressed bytes of all parts together
    ``max_ratio``           uncompressed/compressed ratio of a part bigger than ``ratio_floor``
    ``max_cells``           rows × columns of the used range handed to python-calamine (which
                            allocates the whole rectangle); a sparser sheet is streamed instead
    ``max_sparse_cells``    filled cells of a streamed sheet
    ``max_file_cells``      rows × columns of all the sheets of one file materialised
                            together (a sheet looked at only for its header is not: only its
                            first ``head_rows`` rows are read)
    ``max_data_cells``      rows × columns of the data block of one file (its data rows, every
                            column read) — what validation and the writers work on
    ``max_run_cells``       the same for all files of one run together
    ``max_sheets``          worksheets of one workbook
    ``max_merged_ranges``   distinct merged ranges of one sheet
    ``header_rows``         rows searched for the header row
    ``head_rows``           rows read of a sheet looked at only for its header
    ``cpu_seconds``         CPU time of one file in a worker process
    ``wall_seconds``        wall-clock time of one file in a worker process
    ``memory``              address space a worker may add to what it had when it started
    """

    max_file_size: int = 100 * MB
    max_part_size: int = 256 * MB
    max_total_size: int = 512 * MB
    max_ratio: float = 1000.0
    ratio_floor: int = 16 * MB
    max_cells: int = 8_000_000
    max_sparse_cells: int = 4_000_000
    max_file_cells: int = 16_000_000
    max_data_cells: int = 2_000_000
    max_run_cells: int = 6_000_000
    max_sheets: int = 256
    max_merged_ranges: int = 100_000
    header_rows: int = 30
    head_rows: int = 60
    cpu_seconds: int = 60
    wall_seconds: float = 120.0
    memory: int = 2048 * MB


DEFAULT_LIMITS = Limits()
