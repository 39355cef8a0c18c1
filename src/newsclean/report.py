"""The HTML report of a run: one self-contained page (``newsclean report``).

Each document is shown with its removed lines set apart (struck through, their rule
beside them; long runs folded into a ``<details>``), and its entity mentions highlighted
in the spirit of displaCy, coloured by canonical entity, so that "Al-Kazemi" and
"Al-Kadhimi" share a colour when they are one person. A summary lists the entities of
all documents with their spellings and counts, and the rules that removed lines.

The page needs nothing from the network: styles are inline, there is no script, and a
Content-Security-Policy forbids every fetch.

>>> from newsclean.result import Entity, Result
>>> report = Report()
>>> report.add(Result("Al-Kazemi spoke.", entities=(
...     Entity("Al-Kazemi", 0, 9, "PERSON", "m-k", "Mustafa Al-Kadhimi", 1.0, "exact"),)))
>>> page = report.render()
>>> page.startswith("<!DOCTYPE html>") and 'title="Mustafa Al-Kadhimi' in page
True
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from typing import Optional, Union

from . import __version__
from .result import Entity, Failure, Result
from .view import (
    EntitySummary,
    ViewLine,
    document_lines,
    removal_counts,
    spans,
    summarize_entities,
)

#: A run of more removed lines than this is folded into a <details> element.
FOLD_AFTER = 3
#: Entities listed in the summary at most (the most mentioned).
SUMMARY_LIMIT = 500
_GOLDEN_ANGLE = 137.508


def entity_hue(rank: int) -> int:
    """The hue (0-359) of the entity ranked ``rank``: neighbours in rank are far apart.

    >>> [entity_hue(i) for i in range(4)]
    [210, 348, 125, 263]
    """
    return round((210 + rank * _GOLDEN_ANGLE) % 360)


class Report:
    """Collects the outcomes of a run and renders them as one HTML page."""

    def __init__(self, title: str = "newsclean report") -> None:
        self.title = title
        self.documents: list[tuple[Union[Result, Failure], list[ViewLine]]] = []
        self._hues: dict[str, int] = {}

    def add(self, outcome: Union[Result, Failure], source_text: Optional[str] = None) -> None:
        """Add one document; ``source_text``, the text that was cleaned, places removed lines."""
        lines = document_lines(source_text, outcome) if isinstance(outcome, Result) else []
        self.documents.append((outcome, lines))

    def render(self, *, generated: Optional[datetime] = None) -> str:
        """The page, as a string."""
        results = [outcome for outcome, _ in self.documents if isinstance(outcome, Result)]
        summaries = summarize_entities(results)
        self._hues = {s.id: entity_hue(rank) for rank, s in enumerate(summaries)
                      if s.id is not None}
        when = (generated or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
        kept = sum(not line.removed for _, lines in self.documents for line in lines)
        removed = sum(line.removed for _, lines in self.documents for line in lines)
        mentions = sum(len(r.entities) for r in results)
        failed = len(self.documents) - len(results)
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
            ' style-src \'unsafe-inline\'">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(self.title)}</title>",
            f"<style>{_CSS}</style></head><body>",
            f"<header><h1>{_e(self.title)}</h1>",
            f'<p class="meta">{len(self.documents)} document{_s(len(self.documents))}'
            + (f" ({failed} failed)" if failed else "")
            + f" · {kept} lines kept · {removed} removed · {mentions} entity mention{_s(mentions)}"
            f" of {len(summaries)} entit{'y' if len(summaries) == 1 else 'ies'}"
            f" · newsclean {_e(__version__)} · {when}</p></header>",
            "<main>",
        ]
        parts.append(self._summary(summaries))
        parts.append(self._rules())
        for number, (outcome, lines) in enumerate(self.documents, start=1):
            parts.append(self._document(number, outcome, lines))
        parts.append("</main></body></html>\n")
        return "\n".join(parts)

    # -- parts ----------------------------------------------------------------------------

    def _style(self, entity_id: Optional[str]) -> str:
        hue = self._hues.get(entity_id) if entity_id is not None else None
        return "" if hue is None else f' style="--h:{hue}"'

    def _summary(self, summaries: list[EntitySummary]) -> str:
        if not summaries:
            return '<section class="summary"><h2>Entities</h2><p>No entity mentions.</p></section>'
        rows = []
        for summary in summaries[:SUMMARY_LIMIT]:
            variants = ", ".join(f'<span class="variant">{_e(text)}</span>&nbsp;×{count}'
                                 for text, count in summary.variants.items())
            methods = ", ".join(f"{_e(m)}&nbsp;{n}" for m, n in summary.methods.items())
            kind = " cluster" if (summary.id or "").startswith("unk-") else ""
            rows.append(
                f"<tr><td><span class=\"chip{kind}\"{self._style(summary.id)}>"
                f"{_e(summary.canonical)}</span></td><td><code>{_e(summary.id or '-')}</code></td>"
                f"<td>{_e(summary.label)}</td><td class=\"n\">{summary.mentions}</td>"
                f"<td class=\"n\">{summary.documents}</td><td>{variants}</td>"
                f"<td>{methods}</td></tr>")
        more = len(summaries) - SUMMARY_LIMIT
        note = f"<p>…and {more} more entities, each mentioned less often.</p>" if more > 0 else ""
        return ('<section class="summary"><h2>Entities</h2>'
                '<p class="hint">Every entity of the run, with the spellings that were'
                ' resolved to it. A dashed outline marks a name the alias table does not'
                ' know (a cluster of its own).</p>'
                "<table><thead><tr><th>canonical</th><th>id</th><th>type</th>"
                "<th>mentions</th><th>documents</th><th>spellings</th><th>methods</th>"
                f"</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}</section>")

    def _rules(self) -> str:
        counts = removal_counts(line for _, lines in self.documents for line in lines)
        if not counts:
            return ""
        rows = "".join(f'<tr><td><code>{_e(rule)}</code></td><td class="n">{n}</td></tr>'
                       for rule, n in counts.items())
        return ('<section class="rules"><h2>Removed lines by rule</h2><table><thead><tr>'
                f"<th>rule</th><th>lines</th></tr></thead><tbody>{rows}</tbody></table></section>")

    def _document(self, number: int, outcome: Union[Result, Failure],
                  lines: list[ViewLine]) -> str:
        source = _e(outcome.source or f"document {number}")
        if isinstance(outcome, Failure):
            return (f'<article class="doc failed" id="doc-{number}"><h2>{source}</h2>'
                    f'<p class="error">Not processed: {_e(outcome.error)}</p></article>')
        removed = sum(line.removed for line in lines)
        body: list[str] = []
        run: list[ViewLine] = []
        for line in lines:
            if line.removed:
                run.append(line)
                continue
            body.extend(self._removed_run(run))
            run = []
            body.append(self._kept(line))
        body.extend(self._removed_run(run))
        return (f'<article class="doc" id="doc-{number}"><h2>{source}</h2>'
                f'<p class="meta">{len(lines) - removed} lines kept · {removed} removed ·'
                f" {len(outcome.entities)} entity mentions</p>"
                f'<div class="text">{"".join(body)}</div></article>')

    def _kept(self, line: ViewLine) -> str:
        pieces = []
        for text, entity in spans(line):
            pieces.append(_e(text) if entity is None else self._mention(text, entity))
        gap = " gap" if line.gap else ""
        return f'<p class="line{gap}">{"".join(pieces)}</p>'

    def _mention(self, text: str, entity: Entity) -> str:
        if entity.id is None:
            return (f'<mark class="ent none" title="{_e(entity.label)}, unresolved">{_e(text)}'
                    f'<span class="tag">{_e(entity.label)}</span></mark>')
        tag = entity.canonical if entity.canonical != entity.text else entity.label
        if entity.method not in ("exact", "cluster", None):
            tag = f"{tag} · {entity.method} {entity.score or 0:.2f}"
        title = (f"{entity.canonical} ({entity.id}) · {entity.label} ·"
                 f" {entity.score or 0:.2f} {entity.method}")
        kind = " cluster" if entity.id.startswith("unk-") else ""
        return (f'<mark class="ent{kind}"{self._style(entity.id)} title="{_e(title)}">'
                f'{_e(text)}<span class="tag">{_e(tag or "")}</span></mark>')

    def _removed_run(self, run: list[ViewLine]) -> list[str]:
        if not run:
            return []
        items = [f'<p class="line removed{" gap" if line.gap else ""}"><del>{_e(line.text)}</del>'
                 f'<span class="rule">{_e(line.rule or "")}</span></p>' for line in run]
        if len(run) <= FOLD_AFTER:
            return items
        counts = ", ".join(f"{_e(rule)} {n}" for rule, n in removal_counts(run).items())
        return [f'<details class="removed-run"><summary>{len(run)} lines removed: {counts}'
                f'</summary>{"".join(items)}</details>']


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _s(count: int) -> str:
    return "" if count == 1 else "s"


_CSS = """
:root { --ink: #1d232b; --muted: #66707c; --line: #d8dde3; --removed: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans",
  sans-serif; color: var(--ink); background: #f6f7f9; }
header { padding: 1.2rem 2rem .6rem; background: #fff; border-bottom: 1px solid var(--line); }
h1 { margin: 0; font-size: 1.5rem; }
h2 { font-size: 1.15rem; margin: 0 0 .4rem; overflow-wrap: anywhere; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 2rem 3rem; }
section, article { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 1rem 1.4rem; margin: 1rem 0; }
.meta, .hint { color: var(--muted); font-size: .9rem; margin: .2rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: .85em; white-space: nowrap; }
.chip { display: inline-block; padding: .05rem .45rem; border-radius: .35rem;
  background: hsl(var(--h, 0), 75%, 86%); border: 2px solid hsl(var(--h, 0), 55%, 45%);
  font-weight: 600; white-space: nowrap; }
.variant { white-space: nowrap; }
.text { max-width: 48rem; }
.line { margin: 0 0 .35rem; }
.line.gap { margin-top: .9rem; }
mark.ent { background: hsl(var(--h, 0), 75%, 86%); color: inherit; padding: .05rem .3rem;
  margin: 0 .1rem; border-radius: .35rem; border: 2px solid hsl(var(--h, 0), 55%, 45%);
  line-height: 2; white-space: nowrap; }
mark.ent .tag { font-size: .62rem; font-weight: 700; text-transform: uppercase;
  letter-spacing: .02em; margin-left: .35rem; color: hsl(var(--h, 0), 55%, 28%);
  vertical-align: middle; }
mark.cluster, .chip.cluster { border-style: dashed; }
mark.none { background: #eceff2; border-color: #9aa3ad; }
mark.none .tag { color: var(--muted); }
.removed { background: #fbeceb; border-left: 4px solid var(--removed); padding: .15rem .6rem;
  color: var(--muted); display: flex; gap: 1rem; justify-content: space-between; }
.removed del { text-decoration-thickness: 2px; text-decoration-color: var(--removed); }
.removed .rule { flex: none; font: 600 .75rem/1.9 ui-monospace, "DejaVu Sans Mono", monospace;
  color: var(--removed); }
details.removed-run { margin: 0 0 .35rem; }
details.removed-run summary { cursor: pointer; color: var(--removed); font-size: .9rem;
  background: #fbeceb; border-left: 4px solid var(--removed); padding: .15rem .6rem; }
.error { color: var(--removed); font-weight: 600; }
"""
