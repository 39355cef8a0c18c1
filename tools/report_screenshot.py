"""Make the screenshot of the report page shown in the README and the docs.

    python tools/report_screenshot.py [--out docs/img/report.png]

Runs ``newsclean report examples/seed_article.txt``, opens the page in headless Chromium
(see browser.py), fails on any console message, and saves the screenshot cropped to the
page's content.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from browser import screenshot

ROOT = Path(__file__).resolve().parents[1]


def crop_to_content(png: Path, margin: int = 24) -> None:
    """Cut the empty background below the page's last content."""
    image = Image.open(png).convert("RGB")
    width, height = image.size
    background = image.getpixel((width - 1, height - 1))
    pixels = image.load()
    bottom = height - 1
    while bottom > 0 and all(pixels[x, bottom] == background for x in range(0, width, 4)):
        bottom -= 1
    image = image.crop((0, 0, width, min(height, bottom + margin)))
    # 256 colours without dithering: the same picture at a third of the size
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
                   ).save(png, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "img" / "report.png"))
    parser.add_argument("--width", type=int, default=1100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        subprocess.run([sys.executable, "-m", "newsclean", "report", "examples/seed_article.txt",
                        "-o", str(page)], cwd=ROOT, check=True)
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shot = screenshot(page, out, width=args.width, height=4000)
    if shot.console:
        raise SystemExit("console messages:\n" + "\n".join(shot.console))
    crop_to_content(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
