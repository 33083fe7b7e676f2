"""The register of versions of the Перечень (п. 3.3, 5.1–5.5): approved versions, their
publications and the subdivisions' change reports in one folder (docs/register.md)."""

from .model import DEFAULT_REGISTER, Register, RegisterError

__all__ = ["DEFAULT_REGISTER", "Register", "RegisterError"]
