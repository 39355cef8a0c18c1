"""Headless Chromium for looking at pages as a person would: a screenshot and the console.

Uses Debian's ``chromium`` package (``apt-get install chromium``; ``.ci/run`` installs it),
started so that it reaches no host of its own (no sync, no component updates, no
background networking) with a fresh profile. Console messages come from Chromium's own
log (``--enable-logging=stderr``): each line tagged ``CONSOLE`` is a message of the page
(a script's ``console`` call, an uncaught error, a fetch refused by the page's
Content-Security-Policy).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import regex

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
    "--enable-logging=stderr", "--v=0",
)
_CONSOLE = regex.compile(r":CONSOLE(?:\(\d+\)|:\d+)?\] (.*)$", regex.M)


def find_chromium() -> Optional[str]:
    """The Chromium executable: $CHROMIUM, or ``chromium`` on the PATH."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


@dataclass(frozen=True)
class Shot:
    """What Chromium saw: the console messages of the page, and where the PNG is."""

    png: Path
    console: tuple[str, ...]


def screenshot(page: Path, png: Path, *, width: int = 1280, height: int = 1600,
               timeout: float = 120.0, chromium: Optional[str] = None) -> Shot:
    """Open ``page`` (a local file) in headless Chromium and save a screenshot to ``png``."""
    executable = chromium or find_chromium()
    if executable is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="newsclean-chromium-") as profile:
        run = subprocess.run(
            [executable, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
             f"--screenshot={png.resolve()}", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=timeout, check=False)
    if run.returncode != 0 or not png.is_file():
        tail = "\n".join(run.stderr.splitlines()[-5:])
        raise RuntimeError(f"chromium failed (exit {run.returncode}): {tail}")
    return Shot(png, tuple(_CONSOLE.findall(run.stderr)))
