"""The report page in a real browser: headless Chromium (Debian's chromium package).

.ci/run installs it; where it cannot be installed these tests are skipped, saying so.
"""

import colorsys
import re
import sys
from collections import Counter

import pytest
from PIL import Image

from conftest import ROOT, SEED
from test_cli import newsclean

sys.path.insert(0, str(ROOT / "tools"))
from browser import find_chromium, screenshot  # tools/ is not a package: put on the path above

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason="chromium is not installed: .ci/run installs Debian's chromium package with"
           " apt-get, and that failed or was not run here")


def _rgb(hue, saturation, lightness):
    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


def _near(colour, pixels, tolerance=6):
    return sum(count for pixel, count in pixels.items()
               if all(abs(a - b) <= tolerance for a, b in zip(pixel, colour)))


def test_the_browser_check_sees_console_errors_and_blocked_fetches(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv='
        '"Content-Security-Policy" content="default-src \'none\'; script-src \'unsafe-inline\'">'
        '</head><body><p>Hello</p><img src="missing.png">'
        '<script>console.error("boom")</script></body></html>')
    shot = screenshot(page, tmp_path / "bad.png", width=400, height=300)
    assert any("boom" in message for message in shot.console), shot.console
    assert any("missing.png" in message for message in shot.console), shot.console


@pytest.mark.model
def test_the_seed_report_shows_in_chromium(tmp_path):
    html = tmp_path / "report.html"
    run = newsclean("report", SEED, "-o", html)
    assert run.returncode == 0, run.stderr
    shot = screenshot(html, tmp_path / "report.png", width=1280, height=3000)
    assert shot.console == ()

    image = Image.open(shot.png).convert("RGB")
    pixels = Counter({colour: count for count, colour in
                      image.getcolors(maxcolors=image.width * image.height)})
    _, share = pixels.most_common(1)[0]
    assert share < 0.9 * image.width * image.height  # not blank
    assert len(pixels) > 200  # text, tables and highlights, not a few flat boxes

    page = html.read_text()
    # the removed lines' band (#fbeceb) is on screen
    assert _near((0xFB, 0xEC, 0xEB), pixels, 2) > 1000
    # every mention of Mustafa Al-Kadhimi has one colour, and it is on screen
    (hue,) = set(re.findall(r'style="--h:(\d+)" title="Mustafa Al-Kadhimi', page))
    assert _near(_rgb(int(hue), 0.75, 0.86), pixels) > 500
    (other,) = set(re.findall(r'style="--h:(\d+)" title="Joe Biden', page))
    assert other != hue
