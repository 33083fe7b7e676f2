"""The output kit: what every writer of tpcheck shares — the outputs' settings and every colour
from ``data/outputs.toml`` (:mod:`.config`), the cell formats (:mod:`.formats`), row heights
(:mod:`.rows`), print setup (:mod:`.printing`), the text-mark guard (:mod:`.formula`), writing
all files or none (:mod:`.atomic`) and the HTML page skeleton (:mod:`.htmlpage`)."""
