"""Test helpers that ship with the library: random valid reports and the layouts they are printed in.

``random_report`` / ``random_corpus`` make reports (``generate``); ``print_text`` prints them as
plain text in the layouts real documents use; ``print_html`` as portal pages.  Used by the
property tests, the benchmarks and anyone who wants realistic test input.
"""

from __future__ import annotations

from .generate import identity_failures, random_agency, random_corpus, random_report

__all__ = ["identity_failures", "random_agency", "random_corpus", "random_report"]
