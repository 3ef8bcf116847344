"""Templates: where a kind's template is (the vault's own, else the shipped one), the render
in Jinja2's sandbox under `coffeechat.drafts.sandbox`'s limits, and any failure turned into
the template's `file:line` and what to fix.

Jinja2 is imported only when a template is rendered, so the command line starts without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from coffeechat.core.errors import NoteError, Problem, UsageError

SHIPPED = Path(__file__).parent.parent / "templates"


class TemplateError(NoteError):
    """A template that cannot be rendered: the file, the line, what to fix."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        super().__init__(Problem(path, line, message))


def template_path(kind: str, folder: Path | None, variant: str = "") -> Path:
    """The vault's own template for `kind` (in `folder`, the layout's templates) if it has
    one, else the shipped one; with `variant`, the vault's `KIND-VARIANT.txt`, which must
    exist."""
    if variant:
        path = (folder / f"{kind}-{variant}.txt") if folder is not None else None
        if path is None or not path.is_file():
            found = sorted(
                p.stem.removeprefix(f"{kind}-")
                for p in (folder.glob(f"{kind}-*.txt") if folder and folder.is_dir() else [])
            )
            have = f"; the variants there: {', '.join(found)}" if found else ""
            raise UsageError(
                f"no template `templates/{kind}-{variant}.txt` in the vault{have}; write one "
                f"to try other words for the {kind}"
            )
        return path
    if folder is not None:
        mine = folder / f"{kind}.txt"
        if mine.is_file():
            return mine
    return SHIPPED / f"{kind}.txt"


def template_name(path: Path) -> str:
    """How `mark --template` records a template: the kind for a shipped one (`outreach`),
    marked as yours for the vault's own (`outreach (yours)`), a variant by its file name
    (`outreach-short`), so `stats --by template` compares them."""
    stem = path.name.removesuffix(".txt")
    if path.parent == SHIPPED or "-" in stem:  # shipped, or a variant named by you
        return stem
    return f"{stem} (yours)"


def _read_template(path: Path) -> str:
    from coffeechat.drafts.sandbox import TEMPLATE_BYTES

    if path.parent != SHIPPED and not path.resolve().is_relative_to(path.parent.parent.resolve()):
        raise TemplateError(
            path, None, "leads outside the vault (a link); a template is read only from inside it"
        )
    try:
        if not path.is_file():
            raise TemplateError(path, None, "not a regular file; a template is a text file")
        with path.open("rb") as file:
            data = file.read(TEMPLATE_BYTES + 1)
        if len(data) > TEMPLATE_BYTES:
            raise TemplateError(
                path, None, f"longer than {TEMPLATE_BYTES:,} bytes, the limit for a template"
            )
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(path, None, f"cannot be read ({error}); save it as UTF-8") from None


def render(path: Path, context: dict[str, Any]) -> str:
    """`path` rendered in the sandbox with `context`, under the limits `coffeechat.drafts.sandbox`
    sets (time, size, no includes); any failure names the file and line."""
    import jinja2
    from jinja2 import nodes

    from coffeechat.drafts import sandbox

    source = _read_template(path)
    environment = sandbox.BoundedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    template = None
    try:
        tree = environment.parse(source, path.name, str(path))
        others = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
        for node in tree.find_all(others):
            raise TemplateError(
                path,
                node.lineno,
                "templates cannot include other files, nor themselves "
                f"(`{{% {type(node).__name__.lower()} %}}`); copy the text in",
            )
        code = environment.compile(tree, path.name, str(path))
        template = environment.template_class.from_code(
            environment, code, environment.make_globals(None)
        )
        chunks, length = [], 0
        with sandbox.watchdog(sandbox.SECONDS):
            output = template.generate(context)
            for chunk in output:
                length += len(chunk)
                if length > sandbox.SIZE:
                    raise TemplateError(
                        path, _yielding_line(output, template), str(sandbox.too_big())
                    )
                chunks.append(chunk)
        return "".join(chunks)
    except sandbox.OutOfTime as error:
        raise TemplateError(
            path,
            _compiled_line(error, path, template),
            f"still running after {sandbox.SECONDS:g} second, the limit for a template; "
            "look for a loop that runs too long",
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(path, error.lineno, f"{error.message}; fix the template") from None
    except TemplateError:
        raise
    except Exception as error:  # UndefinedError, SecurityError, TypeError from user text
        raise TemplateError(path, _template_line(error, path), _explain(error)) from None


def _yielding_line(output: Any, template: Any) -> int | None:
    """The template line a paused render is at: the innermost generator's line, mapped."""
    frame = None
    while output is not None and output.gi_frame is not None:
        frame, output = output.gi_frame, output.gi_yieldfrom
    if frame is None or frame.f_code.co_filename != template.filename:
        return None
    return int(template.get_corresponding_lineno(frame.f_lineno))


def _compiled_line(error: BaseException, path: Path, template: Any) -> int | None:
    """The template line a watchdog stopped, from the compiled code's line (Jinja2 maps
    the lines of errors it sees, but not of an exception that is not an Exception)."""
    import traceback

    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == str(path) and frame.lineno is not None
    ]
    if not lines or template is None:
        return None
    return int(template.get_corresponding_lineno(lines[-1]))


def _template_line(error: BaseException, path: Path) -> int | None:
    import traceback

    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == str(path)
    ]
    return lines[-1] if lines else None


def _explain(error: Exception) -> str:
    import jinja2
    from jinja2.exceptions import SecurityError

    from coffeechat.drafts.sandbox import LimitExceeded

    if isinstance(error, LimitExceeded):
        return str(error)
    if isinstance(error, jinja2.UndefinedError):
        return f"{error.message}; the variables are listed in docs/drafts.md"
    if isinstance(error, SecurityError):
        return f"not allowed in a template ({error})"
    return f"{type(error).__name__}: {error}"
