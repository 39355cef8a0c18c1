"""The ``--explain`` view: each document with its removed lines and its resolved names.

On a terminal (rich) removed lines are struck through and dimmed, with their rule beside
them, and each entity mention is coloured by its entity and followed by its canonical
name, score and method. Elsewhere (a pipe, a file) the same view is plain text: kept
lines start with two spaces, removed lines with ``- `` and end with ``[rule]``, and a
mention is followed by ``[canonical score method]``. Both end each document with a
table of its entities.
"""

from __future__ import annotations

from typing import IO, Optional, Union

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .result import Entity, Failure, Result
from .view import (
    EntitySummary,
    SourceTexts,
    ViewLine,
    document_lines,
    spans,
    summarize_entities,
)

#: Colours given to entities in the order they first appear (cycled).
PALETTE = ("cyan", "magenta", "green", "yellow", "bright_blue", "bright_red",
           "bright_cyan", "bright_magenta", "bright_green", "bright_yellow", "blue", "red")


def mention_tag(entity: Entity) -> str:
    """What follows a mention: its canonical name when it differs, score and method.

    >>> mention_tag(Entity("Al-Kazemi", 0, 9, "PERSON", "m", "Mustafa Al-Kadhimi", 1.0, "exact"))
    'Mustafa Al-Kadhimi 1.00 exact'
    >>> mention_tag(Entity("Iraq", 0, 4, "GPE", "iraq", "Iraq", 1.0, "exact"))
    '1.00 exact'
    >>> mention_tag(Entity("Foo", 0, 3, "ORG"))
    'ORG, unresolved'
    """
    if entity.id is None:
        return f"{entity.label}, unresolved"
    parts = [] if entity.canonical == entity.text else [entity.canonical or ""]
    if entity.score is not None:
        parts.append(f"{entity.score:.2f}")
    parts.append(entity.method or "")
    return " ".join(p for p in parts if p)


class ExplainWriter:
    """Writes the explain view of each outcome to ``out``; rich when ``out`` is a terminal.

    Removed lines are shown where they stood when the text that was cleaned is known:
    given to ``write``, or taken from ``texts`` (the :class:`~newsclean.view.SourceTexts`
    the pipeline was given); otherwise they are listed after the kept lines.
    """

    def __init__(self, out: IO[str], texts: Optional[SourceTexts] = None, *,
                 rich: Optional[bool] = None) -> None:
        self.out = out
        self.texts = texts
        self.console = Console(file=out, highlight=False, soft_wrap=False, emoji=False)
        self.rich = self.console.is_terminal if rich is None else rich
        self.colours: dict[str, str] = {}
        self.count = 0

    def write(self, outcome: Union[Result, Failure], source_text: Optional[str] = None) -> None:
        if self.texts is not None:
            taken = self.texts.pop()
            source_text = taken if source_text is None else source_text
        if isinstance(outcome, Failure):
            return  # the command reports failures on stderr
        lines = document_lines(source_text, outcome)
        if self.rich:
            self._write_rich(outcome, lines)
        else:
            self._write_plain(outcome, lines)
        self.count += 1

    def close(self) -> None:
        pass

    # -- plain text ---------------------------------------------------------------------

    def _write_plain(self, result: Result, lines: list[ViewLine]) -> None:
        write = self.out.write
        if self.count:
            write("\n")
        write(f"== {_heading(result, lines)}\n")
        for line in lines:
            if line.gap:
                write("\n")
            if line.removed:
                write(f"- {line.text}  [{line.rule}]\n")
                continue
            pieces = [text if entity is None else f"{text}[{mention_tag(entity)}]"
                      for text, entity in spans(line)]
            write("  " + "".join(pieces) + "\n")
        summaries = summarize_entities([result])
        if summaries:
            write("\nentities:\n")
            for summary in summaries:
                write(f"  {_summary_line(summary)}\n")

    # -- rich ---------------------------------------------------------------------------

    def _colour(self, entity_id: Optional[str]) -> str:
        if entity_id is None:
            return "white"
        if entity_id not in self.colours:
            self.colours[entity_id] = PALETTE[len(self.colours) % len(PALETTE)]
        return self.colours[entity_id]

    def _write_rich(self, result: Result, lines: list[ViewLine]) -> None:
        console = self.console
        if self.count:
            console.print()
        console.rule(Text(_heading(result, lines), style="bold"), align="left")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(overflow="fold")
        for line in lines:
            if line.gap:
                grid.add_row("", "")
            if line.removed:
                text = Text()
                text.append(line.text, style="dim strike")
                text.append("  ")
                text.append(f"[{line.rule}]", style="bold red")
                grid.add_row(Text("-", style="red"), text)
                continue
            text = Text()
            for piece, entity in spans(line):
                if entity is None:
                    text.append(piece)
                    continue
                colour = self._colour(entity.id)
                text.append(piece, style=f"bold underline {colour}")
                text.append(f" [{mention_tag(entity)}]", style=f"dim {colour}")
            grid.add_row("", text)
        console.print(grid)
        summaries = summarize_entities([result])
        if summaries:
            table = Table(title="entities", title_justify="left", show_edge=False,
                          header_style="bold")
            for column in ("canonical", "id", "label", "mentions", "methods"):
                table.add_column(column, overflow="fold")
            for summary in summaries:
                variants = ", ".join(f"{text} ×{count}" for text, count in
                                     summary.variants.items())
                table.add_row(Text(summary.canonical, style=f"bold {self._colour(summary.id)}"),
                              summary.id or "", summary.label, variants,
                              _counts(summary.methods))
            console.print(table)


def _heading(result: Result, lines: list[ViewLine]) -> str:
    removed = sum(line.removed for line in lines)
    return (f"{result.source or 'document'}: {len(lines) - removed} lines kept,"
            f" {removed} removed, {len(result.entities)} entity mentions")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())


def _summary_line(summary: EntitySummary) -> str:
    variants = ", ".join(f"{text} x{count}" for text, count in summary.variants.items())
    return (f"{summary.canonical} ({summary.id or 'unresolved'}, {summary.label}):"
            f" {variants}; {_counts(summary.methods)}")
