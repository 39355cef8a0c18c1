"""The subcommands of the command line: ``newsclean report`` and ``newsclean aliases``.

Like :mod:`newsclean.cli`, of which it is a part, this module prints. ``cli.main``
dispatches here when the first argument is a subcommand's name (a file of that name is
given as ``./report``); errors are mapped to exit codes there.

- ``newsclean report PATH... -o report.html``: one HTML page for the run
  (:mod:`newsclean.report`).
- ``newsclean aliases check TABLE...``: every problem of the tables, with file and line;
  exit 2 if there is any (:mod:`newsclean.entities.check`).
- ``newsclean aliases suggest PATH... -o candidates.yaml``: candidate entries for the
  names the table does not know (:mod:`newsclean.suggest`).
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import Callable, Sequence, Union

from .cli import PROG, _error, add_reading_options, positive, prepare
from .entities.check import check_tables
from .io import (
    AtomicOutput,
)
from .report import Report
from .result import Failure, Result
from .suggest import CandidateMiner, candidates_yaml
from .view import SourceTexts


def build_report_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} report",
        description="Clean documents and write one self-contained HTML page showing each"
                    " document with its removed lines and their reasons, its names"
                    " highlighted by entity, and a summary of the entities of all documents.",
        epilog="Exit status: 0 all inputs done, 1 some inputs failed (the page shows them),"
               " 2 bad usage or configuration.")
    _add_inputs_and_output(parser, "the HTML file")
    parser.add_argument("--title", default="newsclean report",
                        help="the page's title (default: newsclean report)")
    add_reading_options(parser)
    parser.add_argument("--no-entities", action="store_true",
                        help="show the cleaning only: no NER, no names highlighted")
    return parser


def _add_inputs_and_output(parser: argparse.ArgumentParser, written: str) -> None:
    """The documents a subcommand reads, and the one file it writes (``written``)."""
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files, folders (recursed) or - for stdin (default: -)")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help=f"{written} to write (default: stdout); written atomically")


def build_aliases_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{PROG} aliases", description="Check alias tables, or grow one from a corpus.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    check = commands.add_parser(
        "check", help="report every problem of alias tables, with file and line",
        description="Check alias tables as --aliases would load them together, and report"
                    " every problem with its file and line.",
        epilog="Exit status: 0 no problem, 2 any problem.")
    check.add_argument("tables", nargs="+", metavar="TABLE", help="alias table files (YAML)")
    check.add_argument("--shared", choices=("error", "ambiguous"), default="error",
                       help="a name given to two entities of one type without a 'not' between"
                            " them: an error (default), or allowed and resolved to neither"
                            " (ambiguous, as AliasTable.load(shared='ambiguous'))")
    suggest = commands.add_parser(
        "suggest", help="mine a corpus for names the alias table lacks",
        description="Clean and resolve documents, then write the names the alias table did"
                    " not know, as candidate entries of an alias table (a guess at the"
                    " canonical name, the spellings grouped with their counts, two example"
                    " sentences each as comments), those found in most documents first, for a"
                    " person to review.",
        epilog="Exit status: 0 all inputs done, 1 some inputs failed, 2 bad usage or"
               " configuration.")
    _add_inputs_and_output(suggest, "the YAML file")
    suggest.add_argument("--min-mentions", type=positive, default=2, metavar="N",
                         help="leave out names mentioned fewer times in all (default: 2)")
    suggest.add_argument("--limit", type=positive, metavar="N",
                         help="write at most this many candidates (the first in rank)")
    add_reading_options(suggest)
    return parser


def subcommand(argv: Sequence[str]) -> Callable[[], int]:
    """Parse the arguments of a subcommand (``argv[0]`` is its name); the run to call.

    Bad usage exits 2 here, as argparse does.
    """
    name, rest = argv[0], list(argv[1:])
    if name == "report":
        return partial(run_report, build_report_parser().parse_args(rest))
    if name == "aliases":
        args = build_aliases_parser().parse_args(rest)
        if args.command == "check":
            return partial(run_check, args)
        return partial(run_suggest, args)
    raise ValueError(f"unknown subcommand {name!r}")


def run_report(args: argparse.Namespace) -> int:
    pipeline, documents, _ = prepare(args, entities=not args.no_entities)
    report = Report(args.title)
    texts = SourceTexts(documents)
    failures = 0
    for outcome in pipeline.pipe(texts, text_field=args.text_field, errors="keep"):
        failures += _report_failure(outcome)
        report.add(outcome, texts.pop())
    page = report.render()
    with AtomicOutput(args.output) as out:
        out.write(page)
    return 1 if failures else 0


def run_check(args: argparse.Namespace) -> int:
    problems = check_tables(*args.tables, shared=args.shared)
    for problem in problems:
        _error(str(problem))
    if problems:
        _error(f"{len(problems)} problem{'' if len(problems) == 1 else 's'} found")
        return 2
    tables = len(args.tables)
    print(f"{PROG}: {tables} table{'' if tables == 1 else 's'}: no problem found",
          file=sys.stderr)
    return 0


def run_suggest(args: argparse.Namespace) -> int:
    pipeline, documents, _ = prepare(args, entities=True)
    miner = CandidateMiner(pipeline.table)
    failures = 0
    for outcome in pipeline.pipe(documents, text_field=args.text_field, errors="keep"):
        failures += _report_failure(outcome)
        if isinstance(outcome, Result):
            miner.add(outcome)
    candidates = miner.candidates(min_mentions=args.min_mentions)[:args.limit]
    text = candidates_yaml(candidates, documents=miner.documents,
                           tool=f"`{PROG} aliases suggest`")
    with AtomicOutput(args.output) as out:
        out.write(text)
    if args.output is not None:
        print(f"{PROG}: {len(candidates)} candidates from {miner.documents} documents"
              f" written to {args.output}", file=sys.stderr)
    return 1 if failures else 0


def _report_failure(outcome: Union[Result, Failure]) -> int:
    if isinstance(outcome, Failure):
        _error(f"{outcome.source}: {outcome.error}")
        return 1
    return 0

