# SPDX-License-Identifier: GPL-3.0-or-later
"""A steward's photo for the public board: checked, cropped to 3:4 portrait, a small JPEG.

Pillow (already installed as ReportLab's dependency) does the work, so the command line and the
window share it. The result is stored in the database, so that it syncs with the appointment.
"""

from __future__ import annotations

import io
from pathlib import Path

from desktop.errors import UserError
from desktop.i18n import _

#: Files larger than this are refused before decoding (a phone photo is 2–8 MB).
MAX_INPUT_BYTES = 20 * 1024 * 1024
#: The stored JPEG's largest size.
MAX_STORED_BYTES = 200 * 1024
#: The board's portrait aspect, width:height.
ASPECT = (3, 4)
#: The stored picture's size in pixels (enough for a 30×40 mm print at 300 dpi and more).
SIZE = (450, 600)
MIN_SIDE = 60


def _too_large(size: int) -> UserError:
    return UserError(
        _("The photo file is too large ({size} MB); choose one under {limit} MB.").format(
            size=round(size / 1024 / 1024, 1), limit=MAX_INPUT_BYTES // 1024 // 1024
        )
    )


def read_photo_file(path: Path) -> bytes:
    """The file's bytes, refusing an oversized file before reading it."""
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise _too_large(size)
        return path.read_bytes()
    except OSError as error:
        raise UserError(
            _("Cannot read {path}: {reason}").format(path=path, reason=error.strerror or error)
        ) from error


def prepare_photo(data: bytes) -> bytes:
    """The photo as stored: centre-cropped to 3:4, scaled to SIZE, JPEG of at most 200 KB."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_INPUT_BYTES:
        raise _too_large(len(data))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise UserError(
            _("This file is not a picture Red Steward can read. Choose a JPEG or PNG photo.")
        ) from error
    if min(image.size) < MIN_SIDE:
        raise UserError(
            _(
                "The photo is too small ({width}×{height} pixels); choose one at "
                "least {side} pixels on each side."
            ).format(width=image.size[0], height=image.size[1], side=MIN_SIDE)
        )
    image = ImageOps.fit(
        image.convert("RGB"), SIZE, method=Image.Resampling.LANCZOS, centering=(0.5, 0.4)
    )
    for quality in (88, 80, 70, 60, 50, 40):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= MAX_STORED_BYTES:
            return out.getvalue()
    image = image.resize((SIZE[0] // 2, SIZE[1] // 2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=60, optimize=True)
    return out.getvalue()
