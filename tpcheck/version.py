"""The version of tpcheck (one place: the package face, the CLI and pyproject.toml read it)."""

__version__ = "0.1.0"
