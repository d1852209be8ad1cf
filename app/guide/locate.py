"""Line numbers of key paths in a TOML text.

``tomllib`` gives values, not positions; a guide file's author needs “第 N 行” next to each
problem. :func:`locate` scans the text once (tables, arrays of tables, dotted keys, inline
tables, multi-line arrays and strings) and maps each key path it meets to the line where it
starts, as a path of the parsed data would name it: ``("items", 2, "ceiling", "amount")``.

The scanner never raises: on text it does not understand (a syntax error is reported by
``tomllib`` anyway) it skips to the next line and goes on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Path = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text.replace("\r\n", "\n")
        self.i = 0
        self.line = 1
        self.lines: dict[Path, int] = {}
        self.counts: dict[Path, int] = {}  # array-of-tables path -> elements so far

    # -- low level --------------------------------------------------------------------------

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def advance(self, n: int = 1) -> None:
        for _ in range(n):
            if self.i < len(self.s):
                if self.s[self.i] == "\n":
                    self.line += 1
                self.i += 1

    def skip_spaces(self) -> None:
        while self.peek() in (" ", "\t"):
            self.advance()

    def skip_blank(self) -> None:
        """Spaces, newlines and comments (inside arrays)."""
        while True:
            c = self.peek()
            if c in (" ", "\t", "\n", "\r"):
                self.advance()
            elif c == "#":
                self.skip_line_rest()
            else:
                return

    def skip_line_rest(self) -> None:
        while self.peek() not in ("\n", ""):
            self.advance()

    def record(self, path: Path, line: int) -> None:
        self.lines.setdefault(path, line)

    # -- grammar ----------------------------------------------------------------------------

    def run(self) -> dict[Path, int]:
        table: Path = ()
        while self.i < len(self.s):
            self.skip_blank()
            if not self.peek():
                break
            start = self.i
            try:
                if self.peek() == "[":
                    table = self.header()
                else:
                    self.keyval(table)
            except _Stop:
                pass
            if self.i == start:  # not understood: skip the line
                self.skip_line_rest()
            else:
                self.skip_spaces()
                if self.peek() == "#":
                    self.skip_line_rest()
        return self.lines

    def header(self) -> Path:
        line = self.line
        array = self.peek(1) == "["
        self.advance(2 if array else 1)
        self.skip_spaces()
        keys = self.key()
        self.skip_spaces()
        self.advance(2 if array else 1)
        path = self.resolve(keys)
        for n in range(1, len(path)):
            self.record(path[:n], line)
        if array:
            n = self.counts.get(path, 0)
            self.counts[path] = n + 1
            self.record(path, line)
            path = (*path, n)
        self.record(path, line)
        return path

    def resolve(self, keys: Sequence[str]) -> Path:
        """A header's keys as a data path: an array of tables on the way stands for its last
        element (``[tests.inputs]`` after ``[[tests]]`` is ``("tests", k, "inputs")``)."""
        path: Path = ()
        for n, k in enumerate(keys):
            path = (*path, k)
            if n < len(keys) - 1 and path in self.counts:
                path = (*path, self.counts[path] - 1)
        return path

    def key(self) -> list[str]:
        parts = [self.simple_key()]
        while True:
            self.skip_spaces()
            if self.peek() != ".":
                return parts
            self.advance()
            self.skip_spaces()
            parts.append(self.simple_key())

    def simple_key(self) -> str:
        c = self.peek()
        if c in ('"', "'"):
            return self.string_value()
        m = _BARE.match(self.s, self.i)
        if not m:
            raise _Stop
        self.advance(m.end() - self.i)
        return m.group(0)

    def keyval(self, table: Path) -> None:
        line = self.line
        keys = self.key()
        path = (*table, *keys)
        for n in range(len(table) + 1, len(path) + 1):
            self.record(path[:n], line)
        self.skip_spaces()
        if self.peek() != "=":
            raise _Stop
        self.advance()
        self.skip_spaces()
        self.value(path)

    def value(self, path: Path) -> None:
        c = self.peek()
        if c == "[":
            self.array(path)
        elif c == "{":
            self.inline_table(path)
        elif c in ('"', "'"):
            self.string_value()
        else:
            while self.peek() not in (",", "]", "}", "\n", "#", ""):
                self.advance()

    def array(self, path: Path) -> None:
        self.advance()  # [
        n = 0
        while True:
            self.skip_blank()
            c = self.peek()
            if c == "]":
                self.advance()
                return
            if not c:
                raise _Stop
            self.record((*path, n), self.line)
            self.value((*path, n))
            n += 1
            self.skip_blank()
            if self.peek() == ",":
                self.advance()
            elif self.peek() != "]":
                raise _Stop

    def inline_table(self, path: Path) -> None:
        self.advance()  # {
        while True:
            self.skip_spaces()
            if self.peek() == "}":
                self.advance()
                return
            if self.peek() in ("\n", ""):
                raise _Stop
            line = self.line
            keys = self.key()
            sub = (*path, *keys)
            for n in range(len(path) + 1, len(sub) + 1):
                self.record(sub[:n], line)
            self.skip_spaces()
            if self.peek() != "=":
                raise _Stop
            self.advance()
            self.skip_spaces()
            self.value(sub)
            self.skip_spaces()
            if self.peek() == ",":
                self.advance()

    def string_value(self) -> str:
        q = self.peek()
        if self.s.startswith(q * 3, self.i):
            self.advance(3)
            end = self.s.find(q * 3, self.i)
            if end < 0:
                raise _Stop
            while self.s.startswith(q, end + 3):  # up to two quotes may close the string
                end += 1
            text = self.s[self.i : end]
            self.advance(end + 3 - self.i)
            return text
        self.advance()
        out: list[str] = []
        while True:
            c = self.peek()
            if c in ("\n", ""):
                raise _Stop
            self.advance()
            if c == q:
                return "".join(out)
            if c == "\\" and q == '"':
                out.append(self.peek())
                self.advance()
                continue
            out.append(c)


class _Stop(Exception):
    """The scanner met text it does not understand (a syntax error)."""


def locate(text: str) -> dict[Path, int]:
    """Every key path of ``text`` (and array element) with the line (1-based) it starts on."""
    scanner = _Scanner(text.removeprefix("\ufeff"))
    try:
        return scanner.run()
    except RecursionError:  # absurdly nested (a hostile file): the lines found so far
        return scanner.lines


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest ancestor that has one (a missing key: the line
    of the table that lacks it)."""
    for n in range(len(path), 0, -1):
        line = lines.get(path[:n])
        if line is not None:
            return line
    return None
