# SPDX-License-Identifier: GPL-3.0-or-later
"""What a template reports back after writing a PDF."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rendered:
    pages: int
    #: Characters the shipped font cannot draw (printed as empty boxes); callers warn about them.
    missing_glyphs: tuple[str, ...] = ()
