"""The docs say what the code does."""

import re

import pytest

import newsclean
from conftest import ROOT
from newsclean.cli import build_parser


def test_every_cli_option_is_documented():
    page = (ROOT / "docs" / "cli.md").read_text()
    for action in build_parser()._actions:
        for option in action.option_strings:
            assert f"`{option}" in page, option


def test_every_config_option_is_documented():
    page = (ROOT / "docs" / "python.md").read_text()
    for name in newsclean.CleanConfig.__dataclass_fields__:
        assert f"`{name}`" in page, name


def test_readme_gives_install_run_and_test_commands():
    readme = (ROOT / "README.md").read_text()
    assert "pip install -e '.[dev]'" in readme
    assert "newsclean examples/seed_article.txt" in readme
    assert "python -m pytest" in readme
    assert "python -m pytest" in (ROOT / ".ci" / "run").read_text()


def test_changelog_names_the_current_version():
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## {re.escape(newsclean.__version__)} \(\d{{4}}-\d\d-\d\d\)$",
                     changelog, re.M)


def test_public_names_are_sorted_and_exist():
    assert newsclean.__all__ == sorted(newsclean.__all__)
    for name in newsclean.__all__:
        assert hasattr(newsclean, name)


def test_line_model_thresholds_in_the_docs_are_the_shipped_ones():
    from newsclean.boilerplate.lines import bundled_model

    model = bundled_model()
    page = (ROOT / "docs" / "rules.md").read_text()
    assert f"(probability − {model.region_threshold:g})" in page
    assert f"below {model.inside_drop:g} go" in page
    assert f"above {model.outside_keep:g} stay" in page
    assert f"at least {model.page_share:.0%} of them" in page
    assert f"joins it from {model.edge_keep:g} (a headline)" in page
    assert f"lines just below it from\n{model.tail_keep:g}" in page
    assert f"sum reaches {model.region_share:.0%} of that run's" in page


# -- the documentation site (issue 7) ------------------------------------------------------


def _parsers():
    """The main parser and every subcommand's, by how the command is written."""
    from newsclean.commands import build_aliases_parser, build_report_parser

    yield "newsclean", build_parser()
    yield "newsclean report", build_report_parser()
    for action in build_aliases_parser()._actions:
        for name, parser in getattr(action, "choices", None).items() if isinstance(
                getattr(action, "choices", None), dict) else ():
            yield f"newsclean aliases {name}", parser


def test_every_option_of_every_subcommand_is_documented():
    page = (ROOT / "docs" / "cli.md").read_text()
    seen = set()
    for command, parser in _parsers():
        seen.add(command)
        assert f"`{command}" in page or f"## {command}" in page or command in page, command
        for action in parser._actions:
            for option in action.option_strings:
                assert f"`{option}" in page, f"{command} {option}"
    assert seen == {"newsclean", "newsclean report", "newsclean aliases check",
                    "newsclean aliases suggest"}


def test_the_site_builds_strictly_and_fetches_nothing(tmp_path):
    import os
    import subprocess
    import sys

    site = tmp_path / "site"
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                          str(site)], cwd=ROOT, capture_output=True, text=True, check=False,
                         env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr[-3000:]
    pages = {path.name: path.read_text(encoding="utf-8") for path in site.glob("*.html")}
    assert {"index.html", "cli.html", "python.html", "reference.html", "aliases.html",
            "rules.html", "recipes.html", "benchmarks.html", "changelog.html",
            "explain.html"} <= set(pages)
    for name, html in pages.items():
        # links to other sites are fine; nothing may be loaded from one
        fetched = re.findall(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)=\"(?:https?:)?//",
                             html)
        assert not fetched, (name, fetched)
    assert 'id="newsclean.Pipeline.pipe"' in pages["reference.html"]
    assert '<code>Pipeline.pipe</code>' in pages["reference.html"] or \
        "Pipeline.pipe" in pages["reference.html"]
    assert ">>> " not in re.sub(r"<code.*?</code>|<pre.*?</pre>", "", pages["reference.html"],
                                flags=re.S)  # doctest lines are code blocks, not quotes
    assert "## 0.1.0" not in pages["changelog.html"] and "0.1.0" in pages["changelog.html"]


def test_images_in_the_docs_exist_and_the_readme_shows_the_report():
    readme = (ROOT / "README.md").read_text()
    assert "docs/img/report.png" in readme
    for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        base = ROOT if page.name == "README.md" else ROOT / "docs"
        for image in re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", page.read_text()):
            assert (base / image).is_file(), (page.name, image)


def test_benchmark_page_figures_are_the_recorded_ones():
    import json

    page = (ROOT / "docs" / "benchmarks.md").read_text()
    names = json.loads((ROOT / "benchmarks" / "results" / "names-test.json").read_text())
    for row in names["reliability"]:
        share = row["right"] / row["accepted"]
        line = (f"| {row['method']} | {row['low']:.2f}-{row['high']:.2f} | {row['accepted']} |"
                f" {row['right']} | {share:.1%} |")
        assert line in page, line
    ours = names["systems"]["newsclean"]
    assert f"precision {ours['precision']:.3f}, recall {ours['recall']:.3f}" in page
    boiler = json.loads((ROOT / "benchmarks" / "results" / "boiler-test.json").read_text())
    for name, rows in boiler["files"].items():
        mode = next(label for label in rows if label.startswith("newsclean ")
                    and label != "newsclean auto")
        metric = "seg_F1" if name == "segments.jsonl" else "tok_F1"
        assert f"**{rows[mode][metric]:.3f}**" in page, (name, mode)


def _blocks(page: str, after: str) -> list[tuple[str, str]]:
    """The fenced blocks (language, dedented text) of a page after a heading."""
    import textwrap

    section = page[page.index(after):]
    return [(lang, textwrap.dedent(body))
            for lang, body in re.findall(r"^ *```(\w*)\n(.*?)^ *```", section, re.S | re.M)]


@pytest.mark.model
def test_the_explain_example_of_getting_started_is_what_it_shows():
    import subprocess
    import sys

    page = (ROOT / "docs" / "index.md").read_text()
    example = _blocks(page, "## Seeing why")[1][1]
    run = subprocess.run([sys.executable, "-m", "newsclean", "--explain",
                          "examples/seed_article.txt"], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    shown = run.stdout.splitlines()
    for line in example.splitlines():
        if line.strip() in ("", "..."):
            continue
        start = line.removesuffix(" ...")
        assert any(out.startswith(start) for out in shown), line


@pytest.mark.model
def test_the_site_rules_example_removes_what_the_page_says(tmp_path):
    import subprocess
    import sys

    page = (ROOT / "docs" / "rules.md").read_text()
    blocks = _blocks(page, "## Your own rules")
    (tmp_path / "page.txt").write_text(blocks[0][1])
    (tmp_path / "gazette.yaml").write_text(blocks[1][1])
    command = blocks[2][1].strip().split()
    assert command[0] == "newsclean"
    run = subprocess.run([sys.executable, "-m", "newsclean", *command[1:]], cwd=tmp_path,
                         capture_output=True, text=True, check=True)
    assert run.stdout.splitlines()[1:] == blocks[3][1].rstrip("\n").splitlines()


def test_the_check_example_of_the_cli_page_is_what_it_prints(tmp_path):
    import subprocess
    import sys

    from test_views import BAD_TABLE

    (tmp_path / "my_people.yaml").write_text(BAD_TABLE)
    page = (ROOT / "docs" / "cli.md").read_text()
    example = _blocks(page, "## Checking alias tables")[1][1]
    run = subprocess.run([sys.executable, "-m", "newsclean", "aliases", "check",
                          "my_people.yaml"], cwd=tmp_path, capture_output=True, text=True,
                         check=False)
    assert run.returncode == 2
    assert run.stderr == example


def test_the_rules_page_gives_the_number_of_rules_of_each_table():
    from newsclean.boilerplate.rules import bundled_tables

    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    counts = {name: len(table["rules"]) for name, table in bundled_tables()}
    stated = re.search(r"The bundled tables hold (\d+) rules", text)
    assert stated is not None and int(stated.group(1)) == sum(counts.values())
    for name, count in counts.items():
        assert re.search(rf"`{re.escape(name)}`\s+\({count}\b", text), (name, count)
