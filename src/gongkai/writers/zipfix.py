"""Deterministic ZIP containers (DOCX, XLSX): every entry dated 1980-01-01 with fixed attributes."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

#: the date written into file metadata when the report has no publication date
FIXED_DATE = datetime(2000, 1, 1)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class FixedZipWriter:
    """A ZIP writer with python-docx's ``PhysPkgWriter`` interface (``write(pack_uri, blob)``)
    that dates every entry 1980-01-01, so a package is written once, deterministically."""

    def __init__(self, target: io.BytesIO) -> None:
        self.zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: object, blob: bytes) -> None:
        info = zipfile.ZipInfo(str(getattr(pack_uri, "membername", pack_uri)), date_time=_ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        info.create_system = 0
        self.zip.writestr(info, blob)

    def close(self) -> None:
        self.zip.close()


class FixedZipFile(zipfile.ZipFile):
    """A ``ZipFile`` whose ``writestr(name, data)`` dates the entry 1980-01-01 (for libraries that
    write their parts by name, like openpyxl)."""

    def writestr(self, zinfo_or_arcname: zipfile.ZipInfo | str, data: Any,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)
