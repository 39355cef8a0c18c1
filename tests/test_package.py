"""The built wheel carries the data files, not only the editable install."""

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_contains_the_data(tmp_path):
    run = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                          "--outdir", str(tmp_path), str(ROOT)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    (wheel,) = tmp_path.glob("newsclean-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("newsclean/data/aliases.yaml", "newsclean/data/rules/en.yaml",
                     "newsclean/data/names.yaml", "newsclean/py.typed", "newsclean/cli.py"):
        assert required in names, required
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "newsclean = newsclean.cli:main" in text
    assert "newsclean_entities = newsclean.spacy_components:make_entities_component" in text
    packaged = zipfile.ZipFile(wheel).read("newsclean/data/aliases.yaml")
    assert packaged == (ROOT / "data" / "aliases.yaml").read_bytes()


def test_installed_wheel_works_outside_the_repository(tmp_path):
    """Install the wheel into a fresh virtual environment that sees this one's packages."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(wheel_dir), str(ROOT)], capture_output=True, check=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    python = venv / "bin" / "python"
    (wheel,) = wheel_dir.glob("*.whl")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, capture_output=True)
    code = ("import newsclean, pathlib; t = newsclean.AliasTable.bundled();"
            "print(pathlib.Path(newsclean.__file__).parent.parent.name, len(t),"
            " t.lookup('Al-Kazemi', label='PERSON').id)")
    run = subprocess.run([str(python), "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, check=False)
    assert run.returncode == 0, run.stderr
    folder, size, entity = run.stdout.split()
    assert folder == "site-packages" and int(size) > 100 and entity == "mustafa-al-kadhimi"


def test_version_has_one_source():
    import newsclean

    assert f'__version__ = "{newsclean.__version__}"' in Path(
        newsclean.__file__).read_text()
