"""Bounds on what one input may cost: bytes per file, nesting depth, seconds per unit.

Hostile or broken input (a 50 MB file, binary content under a ``.tf`` name, a
10,000-deep list, a parser that never finishes) must cost one error diagnostic naming
the file, never a hang, a crash or the other units' findings (DESIGN §5 "Safe").

- Size is checked with ``stat`` before a byte is read.
- Depth is checked on the text (brackets) before a parser recurses into it.
- Time is a budget per unit, enforced without threads: ``SIGALRM`` interrupts the
  Python code running the unit (in the main thread of the scanning process or of a
  worker process); a worker that does not respond is killed by its parent
  (``policycheck.parallel``).
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from policycheck.diagnostics import InputError

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one input may cost; ``limits:`` in the configuration, or the CLI options."""

    max_file_bytes: int = 10 * MIB
    """A larger input file is reported and not read (``--max-file-size``)."""
    max_depth: int = 200
    """Deeper bracket nesting (``[ { (``) is reported and not parsed."""
    unit_seconds: float = 120.0
    """Each unit's parsing, and then its analysis, must finish within this many seconds
    (``--unit-timeout``); 0 turns the budget off."""


_active = Limits()


def configure(limits: Limits) -> None:
    """Set the limits of this process (the scan, and each worker it starts)."""
    global _active
    _active = limits


def active() -> Limits:
    return _active


def _megabytes(size: int) -> str:
    return f"{size / MIB:.1f} MB"


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _os_reason(exc: OSError) -> str:
    if exc.errno == 40:  # ELOOP
        return "symbolic link loop"
    return exc.strerror or type(exc).__name__


def read_source(path: Path, file: str) -> str:
    """The UTF-8 text of one input file, or InputError (file, line, why) when it is too
    large, unreadable (a symbolic link loop), binary, not UTF-8, or nested too deeply."""
    limits = _active
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise InputError(file, None, f"file is {_megabytes(size)}, over the "
                                         f"{_megabytes(limits.max_file_bytes)} limit "
                                         "(max_file_bytes); not read")
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)  # the file may grow meanwhile
    except OSError as exc:
        raise InputError(file, None, f"cannot read file: {_os_reason(exc)}") from None
    if len(data) > limits.max_file_bytes:
        raise InputError(file, None, "file grew over the max_file_bytes limit while read")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(file, _line_at(data, nul), "binary content (a NUL byte); not a "
                                                    "text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(file, _line_at(data, exc.start),
                         f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); not read") from None
    line = too_deep(text, limits.max_depth)
    if line is not None:
        raise InputError(file, line, f"nested more than {limits.max_depth} levels deep "
                                     "(max_depth); not parsed")
    return text


_BRACKETS = re.compile(r"[\[\]{}()]")
_OPENING = frozenset("[{(")


def too_deep(text: str, max_depth: int) -> int | None:
    """The line where bracket nesting first exceeds ``max_depth``, else None.

    Counts brackets inside strings too: an over-estimate that only matters for text no
    real template contains.
    """
    if sum(text.count(c) for c in _OPENING) <= max_depth:
        return None  # cheap: cannot nest deeper than it has brackets
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in _OPENING:
            depth += 1
            if depth > max_depth:
                return text.count("\n", 0, match.start()) + 1
        elif depth:
            depth -= 1
    return None


class UnitTimeout(BaseException):
    """The unit's time budget ran out (a BaseException, so that front-ends' broad
    ``except Exception`` handlers do not swallow it)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"stopped after {seconds:g} s (the unit_timeout limit)")
        self.seconds = seconds


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise UnitTimeout inside the block once ``seconds`` have passed.

    Uses ``SIGALRM`` (no thread): only in the main thread of a POSIX process; elsewhere
    (or with ``seconds <= 0``) the block runs unbounded.
    """
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise UnitTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    # The timer repeats every 0.1 s after the budget: an exception raised while Python
    # runs a finaliser or a gc callback is reported and dropped ("Exception ignored"),
    # so a single alarm could be lost; the next one stops the unit.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
