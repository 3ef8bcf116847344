"""Jinja2 under limits, for templates that come with a vault.

A vault's templates may be someone else's text (a shared or cloned vault), so Jinja2's
sandbox, which stops attribute tricks, is not enough: a loop, a `*` or a filter can still eat
the machine. Here a template also

- runs for at most `SECONDS` (`limits.watchdog` interrupts it);
- makes no text, list or output longer than `SIZE` characters or items: `*`, `+`, `%`, `~`,
  filters and method calls are checked before they build a big value where that can be told,
  and every value they return is checked after;
- makes no number longer than `DIGITS` digits: every arithmetic result is checked
  (`+`, `-`, `*`, `/`, `//`, `%`, `**`, filters, methods), and `10 ** 10 ** 7` is refused
  before it is worked out;
- counts no `range` longer than `SIZE`;
- includes, imports and extends nothing, itself included.

Imported only by `drafts.render`, so the command line does not load Jinja2 until a draft is
made.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Callable
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from coffeechat.core.limits import OutOfTime, watchdog

__all__ = ["SECONDS", "SIZE", "BoundedEnvironment", "LimitExceeded", "OutOfTime", "watchdog"]

SECONDS = 1.0
SIZE = 100_000
DIGITS = 100
TEMPLATE_BYTES = 100_000
_BITS = int(DIGITS * 3.33)
# str and bytes methods whose result can be much longer than the string they are called on.
_GROWING_METHODS = frozenset(
    ("ljust", "rjust", "center", "zfill", "expandtabs", "replace", "join", "translate")
)
_PRINTF_WIDTH = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?")


class LimitExceeded(Exception):
    """A template went past a limit; the message names it."""


def too_big() -> LimitExceeded:
    return LimitExceeded(
        f"makes a text or list of more than {SIZE:,} characters, the limit for a template"
    )


def _size(value: Any, seen: dict[int, int] | None = None) -> int:
    """How many characters and items `value` holds, counting what its lists hold; a list
    that holds the same long string many times counts it each time, as printing it would."""
    if isinstance(value, str | bytes):
        return len(value)
    if not isinstance(value, list | tuple | set | frozenset | dict):
        return 0
    seen = {} if seen is None else seen
    if id(value) in seen:
        return seen[id(value)]
    seen[id(value)] = 0  # a list that holds itself counts once
    items = itertools.chain.from_iterable(value.items()) if isinstance(value, dict) else value
    total = len(value)
    for item in items:
        total += _size(item, seen)
        if total > SIZE:
            break
    seen[id(value)] = total
    return total


def _check_size(size: int) -> None:
    if size > SIZE:
        raise too_big()


def too_long() -> LimitExceeded:
    return LimitExceeded(f"makes a number of more than {DIGITS} digits, the limit for a template")


def _check_number(value: Any) -> None:
    """At most DIGITS digits: counted exactly near the limit (10 ** 100 has 101)."""
    if not isinstance(value, int) or value.bit_length() <= _BITS - 4:
        return
    if value.bit_length() > _BITS + 4 or len(str(abs(value))) > DIGITS:
        raise too_long()


def _bounded_concat(parts: Any) -> str:
    """Jinja's join of the output and of every captured block (`{% set %}…{% endset %}`,
    macros, `{% call %}`, `{% filter %}`), counted before it is made."""
    pieces = []
    total = 0
    for piece in parts:
        total += len(piece)
        if total > SIZE:
            raise too_big()
        pieces.append(piece)
    return "".join(pieces)


def _bounded_range(*args: int) -> range:
    """`range`, of at most SIZE numbers."""
    numbers = range(*args)
    _check_size(len(numbers))
    return numbers


def _check_width(number: Any) -> None:
    if isinstance(number, int) and number > SIZE:
        raise too_big()


def _check_format(text: str) -> None:
    """`str.format` fields may not ask for a width over SIZE, nor take one from an argument."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return  # str.format raises its own error
    for _, _, spec, _ in fields:
        if spec and "{" in spec:
            raise LimitExceeded("a format width may not come from a value in a template")
        for digits in re.findall(r"\d+", spec or ""):
            _check_width(int(digits))


def _check_printf(text: str, arguments: Any) -> None:
    """`"%5s" % x`: no width or precision over SIZE, given in the text or with `*`."""
    for match in _PRINTF_WIDTH.finditer(text):
        for width in match.groups():
            if width == "*":
                values = arguments if isinstance(arguments, tuple) else (arguments,)
                for value in values:
                    _check_width(value)
            elif width:
                _check_width(int(width))


def _growing_method(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse `"x".ljust(10**9)` and friends before they run."""
    text = method.__self__
    name = method.__name__
    values = [*args, *kwargs.values()]
    if name in ("ljust", "rjust", "center", "zfill"):
        for value in values:
            _check_width(value)
    elif name == "expandtabs":
        tab = values[0] if values and isinstance(values[0], int) else 8
        _check_size(len(text) + text.count("\t" if isinstance(text, str) else b"\t") * tab)
    elif name == "replace" and len(values) >= 2:
        old, new = values[0], values[1]
        if isinstance(old, str | bytes) and isinstance(new, str | bytes):
            times = len(text) + 1 if not old else text.count(old)
            _check_size(len(text) + times * len(new))
    elif name == "translate" and values and isinstance(values[0], dict):
        longest = max((_size(v) for v in values[0].values()), default=1)
        _check_size(len(text) * max(longest, 1))


def _join_size(separator: Any, items: Any) -> tuple[int, Any]:
    """The length a join would make, and the items (read once, at most SIZE + 1 of them)."""
    items = list(itertools.islice(items, SIZE + 1))
    _check_size(len(items))
    size = len(separator) * len(items) if isinstance(separator, str | bytes) else 0
    for item in items:
        size += len(str(item)) if not isinstance(item, str | bytes) else len(item)
        _check_size(size)
    return size, items


class _BlockBuffer(list[Any]):
    """Where a captured block (`{% set %}…{% endset %}`, a macro, `{% call %}`,
    `{% filter %}`) collects its pieces: counted as each is added, so a block that would
    hold 100 MB stops at SIZE characters instead of first holding them all."""

    def __init__(self) -> None:
        super().__init__()
        self.length = 0

    def _count(self, piece: Any) -> None:
        self.length += len(piece) if isinstance(piece, str) else 0
        if self.length > SIZE:
            raise too_big()

    def append(self, piece: Any) -> None:
        self._count(piece)
        super().append(piece)

    def extend(self, pieces: Any) -> None:
        for piece in pieces:
            self.append(piece)


class _Generator(CodeGenerator):
    """Compiles `a ~ b` into a call that checks the length before joining, and a captured
    block into a `_BlockBuffer`."""

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.block_buffer()")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write("environment.checked_concat((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write(f"), {join})")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The immutable sandbox (no `list.append` either), with the limits above."""

    code_generator_class = _Generator
    # Every arithmetic operator, so that each result is checked (an intercepted operator
    # is also never worked out while the template compiles).
    intercepted_binops = frozenset(("+", "-", "*", "/", "//", "%", "**"))

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: self._bounded(name, f) for name, f in self.filters.items()}
        self.concat = _bounded_concat  # type: ignore[method-assign]
        self.globals["range"] = _bounded_range

    @staticmethod
    def block_buffer() -> list[Any]:
        return _BlockBuffer()

    def checked(self, value: Any) -> Any:
        """`value`, once it is known to be within the limits."""
        _check_size(_size(value))
        _check_number(value)
        return value

    def checked_concat(self, parts: tuple[Any, ...], join: Callable[[Any], str]) -> str:
        _join_size("", parts)
        return self.checked(join(parts))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        sized = (str, bytes, list, tuple)
        if operator == "*":
            for one, other in ((left, right), (right, left)):
                if isinstance(one, sized) and isinstance(other, int):
                    _check_size(_size(one) * other)
            both_numbers = isinstance(left, int) and isinstance(right, int)
            if both_numbers and left.bit_length() + right.bit_length() > _BITS + 64:
                raise too_long()
        elif operator == "**":
            both_numbers = isinstance(left, int) and isinstance(right, int)
            if both_numbers and right > 0 and right * (abs(left).bit_length() - 1) > _BITS + 64:
                raise too_long()
        elif operator == "+":
            if isinstance(left, sized) and isinstance(right, sized):
                _check_size(_size(left) + _size(right))
        elif operator == "%" and isinstance(left, str | bytes):
            _check_printf(left if isinstance(left, str) else left.decode("latin-1"), right)
        return self.checked(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format(value.__self__)
        return wrapped

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str | bytes) and getattr(__obj, "__name__", "") in _GROWING_METHODS:
            if __obj.__name__ == "join" and args:
                _, items = _join_size(owner, args[0])
                args = (items, *args[1:])
            else:
                _growing_method(__obj, args, kwargs)
        return __self.checked(super().call(__context, __obj, *args, **kwargs))

    def _bounded(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """`function`, a filter, with what it would make checked before and after."""
        import functools

        skip = 1 if hasattr(function, "jinja_pass_arg") else 0

        @functools.wraps(function)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            given = list(args[skip:])
            value = given[0] if given else None
            rest = [*given[1:], *kwargs.values()]
            if name in ("center", "indent", "slice", "batch", "truncate"):
                for number in rest:
                    _check_width(number)
            if name == "indent" and isinstance(value, str):
                width = next((w for w in rest if isinstance(w, int | str)), 4)
                width = width if isinstance(width, int) else len(width)
                _check_size(len(value) + (value.count("\n") + 1) * width)
            elif name == "wordwrap" and isinstance(value, str):
                joint = kwargs.get("wrapstring") or next(
                    (w for w in given[3:4] if isinstance(w, str)), "\n"
                )
                _check_size(len(value) * (1 + len(joint)))
            elif name == "replace" and isinstance(value, str) and len(rest) >= 2:
                _growing_method(value.replace, tuple(rest[:2]), {})
            elif name == "format" and isinstance(value, str):
                _check_printf(value, tuple(rest))
            elif name == "tojson":
                indent = kwargs.get("indent", rest[0] if rest else None)
                if isinstance(indent, int) and indent > 0:
                    # Each item of each nested list or mapping gets its own indented line.
                    _check_size((_size(value) + 1) * (indent + 2))
            elif name == "join" and value is not None and not isinstance(value, str):
                separator = rest[0] if rest and isinstance(rest[0], str) else ""
                _, items = _join_size(separator, value)
                args = (*args[:skip], items, *args[skip + 1 :])
            elif name == "sum" and value is not None:
                items = list(itertools.islice(value, SIZE + 1))
                _check_size(len(items) + sum(_size(item) for item in items))
                args = (*args[:skip], items, *args[skip + 1 :])
            return self.checked(function(*args, **kwargs))

        return bounded
