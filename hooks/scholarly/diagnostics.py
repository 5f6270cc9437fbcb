"""One message type for every check, and one formatter for people and for GitHub.

A :class:`Diagnostic` names a source location (``path:line:column``, 1-based, lines
counted in the source file as the contributor sees it), what is wrong, and how to fix
it. Every checker returns a list of them; nothing a user sees is printed another way.
"""
from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterable

ERROR = "error"
WARNING = "warning"
# What biblatex accepts but a reader may notice (a required field missing, one person
# spelt two ways): reported, never failing a build, strict or not.
NOTICE = "notice"


@dataclasses.dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def github_annotation(self) -> str:
        """A GitHub Actions workflow command, shown inline on the pull request."""
        level = self.severity
        body = f"{self.message} — {self.hint}" if self.hint else self.message
        return (
            f"::{level} file={_escape_property(self.path)},line={self.line},"
            f"col={self.column}::{_escape_data(body)}"
        )


def error(path: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, ERROR, message, hint)


def warning(path: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, WARNING, message, hint)


def notice(path: str, line: int, column: int, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, column, NOTICE, message, hint)


def failing(diagnostics: Iterable[Diagnostic], strict: bool) -> bool:
    """Whether DIAGNOSTICS fail a build: any error, or any warning when STRICT."""
    failing_levels = (ERROR, WARNING) if strict else (ERROR,)
    return any(d.severity in failing_levels for d in diagnostics)


def format_report(diagnostics: Iterable[Diagnostic], github: bool = False) -> str:
    """All diagnostics sorted by file and position, then a one-line count.

    With ``github=True`` each line is followed by its workflow-command twin, so a
    log stays readable while the pull request shows the message on the line.
    """
    ordered = sorted(set(diagnostics))
    lines = []
    for diagnostic in ordered:
        lines.append(str(diagnostic))
        if github:
            lines.append(diagnostic.github_annotation())
    errors = sum(d.severity == ERROR for d in ordered)
    warnings = sum(d.severity == WARNING for d in ordered)
    notices = len(ordered) - errors - warnings
    count = f"{errors} error(s), {warnings} warning(s)"
    lines.append(f"{count}, {notices} notice(s)" if notices else count)
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: https://github.com/actions/toolkit (command.ts)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def error_panel(diagnostics: Iterable[Diagnostic]) -> str:
    """The build's diagnostics as a Material admonition at the top of every page, for
    ``mkdocs serve``, whose reader sees the browser, not the terminal."""
    ordered = sorted(set(diagnostics))
    items = "".join(f"<li><code>{html.escape(f'{d.path}:{d.line}:{d.column}')}</code> "
                    f"{html.escape(d.severity)}: {html.escape(d.message)}"
                    + (f" — {html.escape(d.hint)}" if d.hint else "") + "</li>" for d in ordered)
    return ('<div class="admonition failure" role="alert"><p class="admonition-title">This '
            "build has problems to fix: <code>make site</code> would stop here</p>"
            f"<ul>{items}</ul><p>Fix them and save: the page reloads.</p></div>")
