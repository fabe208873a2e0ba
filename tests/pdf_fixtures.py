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


def placed_page(items: list[tuple[float, float, str]], size: int = 12) -> bytes:
    """A page content stream printing ASCII text at (x, y from the bottom) positions."""
    out = [b"BT", f"/F1 {size} Tf".encode()]
    for x, y, text in items:
        esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        out.append(f"1 0 0 1 {x} {y} Tm ({esc}) Tj".encode("latin-1"))
    out.append(b"ET")
    return b"\n".join(out)


CID_PAGE = b"BT /F1 12 Tf 72 700 Td <0c1a0d2b3e4f1a2b0c1a0d2b3e4f1a2b> Tj ET"
IMAGE_PAGE = b"q 480 0 0 700 60 70 cm /Im1 Do Q"


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def make_pdf(pages: list[bytes], *, image: bool = False, encrypted: bool = False,
             restricted: bool = False, cid_font: bool = False) -> bytes:
    """``encrypted``: an opening password is needed; ``restricted``: encrypted with an empty
    opening password and an owner password (printing/copying restricted), readable by anyone."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    catalog = add(b"")  # filled below
    pages_obj = add(b"")
    if cid_font:  # a CID font without a ToUnicode map: text extracts as glyph numbers
        desc = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo "
                   b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
        font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
                   b"/DescendantFonts [%d 0 R] >>" % desc)
    else:
        font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    img = 0
    if image:
        pixels = bytes((x * 7 + y * 13) % 256 for y in range(32) for x in range(32))
        img = add(b"<< /Type /XObject /Subtype /Image /Width 32 /Height 32 /ColorSpace /DeviceGray "
                  b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream")
    kids = []
    ident = hashlib.md5(b"".join(pages)).digest()
    o_entry = rc4(hashlib.md5(b"owner-secret" + _PAD[:20]).digest()[:5], _PAD)
    perms = -3904
    file_key = hashlib.md5(_PAD + o_entry + (perms & 0xFFFFFFFF).to_bytes(4, "little") + ident).digest()[:5]
    for content in pages:
        if restricted:
            objnum = len(objs) + 1
            content = rc4(hashlib.md5(file_key + objnum.to_bytes(3, "little") + b"\0\0").digest()[:10], content)
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
    elif restricted:
        u = rc4(file_key, _PAD)
        enc = add(b"<< /Filter /Standard /V 1 /R 2 /O <" + o_entry.hex().encode() + b"> /U <" + u.hex().encode()
                  + b"> /P %d >>" % perms)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    hexid = ident.hex().encode()
    trailer = b"<< /Size %d /Root %d 0 R /ID [<%s><%s>]" % (len(objs) + 1, catalog, hexid, hexid)
    if enc:
        trailer += b" /Encrypt %d 0 R" % enc
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def image_only(pdf: bytes | str, dpi: int = 100) -> bytes:
    """The PDF as a scan would be: each page rendered to a grey image by ``pdftoppm`` (poppler, not
    our engine) and the images put back into a PDF with no text (Pillow)."""
    import io
    import subprocess
    import tempfile
    from pathlib import Path

    from PIL import Image

    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "in.pdf"
        src.write_bytes(pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes())
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(src), f"{d}/p"], check=True, timeout=120)
        images = [Image.open(p).convert("L") for p in sorted(Path(d).glob("p-*.png"), key=lambda p: int(p.stem[2:]))]
        out = io.BytesIO()
        images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return out.getvalue()


def with_pages_as_images(pdf: bytes | str, pages: list[int], dpi: int = 100) -> bytes:
    """The PDF with the given pages (1-based) replaced by their images (``image_only``)."""
    import io
    from pathlib import Path

    import pypdfium2 as pdfium

    data = pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()
    scans = pdfium.PdfDocument(image_only(data, dpi))
    doc = pdfium.PdfDocument(data)
    for n in sorted(pages):
        doc.del_page(n - 1)
        doc.import_pages(scans, [n - 1], index=n - 1)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
