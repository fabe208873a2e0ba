"""Small PDFs written byte by byte for the PDF reader's tests (no tool needed, nothing stored).

``make_pdf`` writes a valid PDF with one content stream per page (Helvetica text, optionally a
grey image), optionally with a standard-security ``/Encrypt`` dictionary whose user password is
not empty (so no reader can open it without the password).
"""

from __future__ import annotations

import hashlib


def text_page(lines: list[str], size: int = 12) -> bytes:
    """A page content stream printing ASCII ``lines`` from the top."""
    out = [b"BT", f"/F1 {size} Tf".encode(), b"72 770 Td", f"{size + 4} TL".encode()]
    for ln in lines:
        esc = ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        out.append(f"({esc}) Tj T*".encode("latin-1"))
    out.append(b"ET")
    return b"\n".join(out)


IMAGE_PAGE = b"q 480 0 0 700 60 70 cm /Im1 Do Q"


def make_pdf(pages: list[bytes], *, image: bool = False, encrypted: bool = False) -> bytes:
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    catalog = add(b"")  # filled below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    img = 0
    if image:
        pixels = bytes((x * 7 + y * 13) % 256 for y in range(32) for x in range(32))
        img = add(b"<< /Type /XObject /Subtype /Image /Width 32 /Height 32 /ColorSpace /DeviceGray "
                  b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream")
    kids = []
    for content in pages:
        c = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        res = b"<< /Font << /F1 %d 0 R >>" % font + (b" /XObject << /Im1 %d 0 R >>" % img if img else b"") + b" >>"
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources " % pages_obj
                        + res + b" /Contents %d 0 R >>" % c))
    objs[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objs[pages_obj - 1] = (b"<< /Type /Pages /Count %d /Kids [" % len(kids)
                           + b" ".join(b"%d 0 R" % k for k in kids) + b"] >>")
    enc = 0
    if encrypted:
        o = hashlib.md5(b"owner").digest() * 2
        u = hashlib.md5(b"user-password").digest() * 2
        enc = add(b"<< /Filter /Standard /V 1 /R 2 /O <" + o.hex().encode() + b"> /U <" + u.hex().encode()
                  + b"> /P -3904 >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    ident = hashlib.md5(bytes(out[:64])).hexdigest().encode()
    trailer = b"<< /Size %d /Root %d 0 R /ID [<%s><%s>]" % (len(objs) + 1, catalog, ident, ident)
    if enc:
        trailer += b" /Encrypt %d 0 R" % enc
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
