"""The docs say what the code does."""

import re

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
