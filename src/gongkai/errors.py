"""One exception base for the whole library.

A defect in a report is a *finding* (see ``gongkai.check``), never an exception.  An exception
means gongkai cannot go on: the input could not be read, a format is unknown, a target is
unsupported.  Every message is Chinese and says what and where.
"""

from __future__ import annotations


class GongkaiError(Exception):
    """Base of every error gongkai raises on purpose."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


class ParseError(GongkaiError):
    """A document could not be read as an annual report."""


class NotAReportError(ParseError):
    """The document is readable but is not a national-format annual report."""


class FormatError(GongkaiError):
    """An unknown or inconsistent format declaration."""


class RenderError(GongkaiError):
    """A report could not be written in the requested form."""


class ModelError(ParseError):
    """Report data (e.g. the JSON model) that does not fit the model."""
