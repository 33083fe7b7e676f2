"""One way to write outputs from Python: ``publish()`` and ``diff()`` return objects whose
``.write(folder)`` writes; their ``out_dir`` still writes, with a DeprecationWarning, for one
release."""

from __future__ import annotations

import warnings

import pytest

import tpcheck
from tpcheck.publish.model import OUTPUT_FILES as PUBLICATION_FILES

from .read_helpers import quiet, write_book

DIFF_FILES = ["changes.html", "changes.json", "changes.xlsx"]


@pytest.fixture
def versions(tmp_path):
    old = write_book(tmp_path / "old" / "отдел.xlsx", [quiet(1)])
    new = write_book(tmp_path / "new" / "отдел.xlsx", [quiet(1), quiet(2)])
    return old, new


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_publish_returns_a_publication_and_writes_only_when_asked(versions, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        publication = tpcheck.publish(versions[0])
    assert isinstance(publication, tpcheck.Publication)
    assert list(tmp_path.rglob("perechen*")) == []
    publication.write(tmp_path / "out")
    assert _names(tmp_path / "out") == sorted(PUBLICATION_FILES.values())


def test_publish_out_dir_still_writes_with_a_deprecation_warning(versions, tmp_path):
    with pytest.warns(DeprecationWarning, match=r"tpcheck\.publish\(\).*\.write") as caught:
        tpcheck.publish(versions[0], tmp_path / "out", lang="en")
    assert caught[0].filename == __file__  # the warning points at the caller
    assert _names(tmp_path / "out") == sorted(PUBLICATION_FILES.values())


def test_diff_returns_a_diff_and_writes_only_when_asked(versions, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        changes = tpcheck.diff(*versions)
    assert isinstance(changes, tpcheck.Diff)
    assert [c.kind for c in changes.changes] == ["added"]
    assert list(tmp_path.rglob("changes*")) == []
    changes.write(tmp_path / "out")
    assert _names(tmp_path / "out") == DIFF_FILES


def test_diff_out_dir_still_writes_with_a_deprecation_warning(versions, tmp_path):
    with pytest.warns(DeprecationWarning, match=r"tpcheck\.diff\(\)") as caught:
        tpcheck.diff(*versions, out_dir=tmp_path / "out", lang="ru")
    assert "устарел" in str(caught[0].message)
    assert caught[0].filename == __file__
    assert _names(tmp_path / "out") == DIFF_FILES
