"""The output kit: what every writer of tpcheck shares — the outputs' settings from
``data/outputs.toml`` (:mod:`.config`), writing all files or none (:mod:`.atomic`) and the HTML
page skeleton (:mod:`.htmlpage`)."""
