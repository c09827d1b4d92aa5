"""Reading rendered lines back with the tesseract command line, and the character error rate (CER)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TESSERACT_TIMEOUT_S = 60  # one short line takes well under a second; a hang must not stall the benchmark
INK_HEIGHT_PX = 64  # ascender-to-descender height after scaling: capitals ~35 px, where tesseract reads best
MARGIN_PX = 24  # white border: tesseract misses glyphs that touch the image edge


def normalize_text(text: str) -> str:
    """Collapse runs of whitespace (including newlines and form feeds) to one space and strip the ends."""
    return " ".join(text.split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions each cost 1) between two strings."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i]
        for j, cb in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(ocr: str, truth: str) -> float:
    """Levenshtein(ocr, truth) / len(truth) after normalize_text on both (can exceed 1 for long garbage)."""
    truth, ocr = normalize_text(truth), normalize_text(ocr)
    if not truth:
        raise ValueError("CER needs a non-empty reference text")
    return levenshtein(ocr, truth) / len(truth)


def tesseract_version() -> str:
    """First line of `tesseract --version`; SystemExit with install instructions when it is missing."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise SystemExit("tesseract not found on PATH: install it (Debian/Ubuntu: apt-get install -y tesseract-ocr) "
                         "and run the benchmark again")
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=TESSERACT_TIMEOUT_S)
    return (out.stdout or out.stderr).splitlines()[0].strip()


def prepare_for_ocr(png: str | Path, out: str | Path) -> Path:
    """Copy of a rendered PNG flattened onto white, greyscale, cropped to the ink, scaled to INK_HEIGHT_PX, with margin.

    Scaling every line to the same ink height makes the OCR figures independent of the renderer's pixel size.
    """
    from PIL import Image, ImageOps

    img = Image.open(png).convert("RGBA")
    flat = Image.new("RGBA", img.size, (255, 255, 255, 255))
    flat.alpha_composite(img)
    grey = flat.convert("L")
    box = ImageOps.invert(grey).point(lambda v: 255 if v > 64 else 0).getbbox()  # ink: darker than 75 % grey
    if box is not None:
        grey = grey.crop(box)
        k = INK_HEIGHT_PX / max(grey.height, 1)
        grey = grey.resize((max(1, round(grey.width * k)), INK_HEIGHT_PX), Image.LANCZOS)
    canvas = Image.new("L", (grey.width + 2 * MARGIN_PX, grey.height + 2 * MARGIN_PX), 255)
    canvas.paste(grey, (MARGIN_PX, MARGIN_PX))
    out = Path(out)
    canvas.save(out)
    return out


def read_line(png: str | Path, psm: int = 13) -> str:
    """Text tesseract reads from one PNG with page segmentation mode `psm` (13: raw line, 7: single line)."""
    cmd = ["tesseract", str(png), "stdout", "--psm", str(psm)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=TESSERACT_TIMEOUT_S)
    except FileNotFoundError:
        raise SystemExit("tesseract not found on PATH: apt-get install -y tesseract-ocr") from None
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"tesseract took over {TESSERACT_TIMEOUT_S} s on {png}") from None
    if out.returncode != 0:
        raise RuntimeError(f"tesseract failed on {png}: {out.stderr.strip()[-300:]}")
    return normalize_text(out.stdout)
