"""Publication (п. 5.1–5.2): the Перечень in the appendix form — the model (:mod:`.model`), the
print-ready workbook (:mod:`.xlsx`), the page for the site (:mod:`.html`) and open data
(:mod:`.opendata`)."""

from .model import Publication, publish

__all__ = ["Publication", "publish"]
