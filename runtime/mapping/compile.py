"""Public entry points: compile a mapping once, then apply it to many events."""

from __future__ import annotations

from runtime.mapping import (  # noqa: F401 (imported to register the directives)
    directives_basic,
    directives_objects,
    directives_text,
    liquid,
)
from runtime.mapping.missing import MISSING
from runtime.mapping.nodes import Resolver
from runtime.mapping.transform import compile_transform


class CompiledMapping:
    """A mapping compiled into Python closures, ready to apply to events."""

    __slots__ = ("_resolve",)

    def __init__(self, resolve: Resolver) -> None:
        self._resolve = resolve

    def apply(self, data: object = MISSING) -> object:
        """Map ``data`` (a JSON object) as ``transform(mapping, data)`` would.

        Returns the result, in which object keys never hold MISSING, or MISSING
        itself when the result is undefined. Omitting ``data`` applies the
        mapping to ``{}``. Raises ``MappingError`` when the data is not an object
        or a directive fails at run time (such as a @path option that resolves to
        a number).
        """
        return self._resolve(data)


def compile_mapping(mapping: object) -> CompiledMapping:
    """Validate ``mapping`` and compile it for repeated use.

    The mapping is read as ``transform`` reads it: a top-level array or string is
    spread into an object keyed by index, a number or boolean gives ``{}``, and
    the fields next to ``__segment_internal_directive`` become the ``mapping``
    option of its directive. Raises ``MappingError`` for the first problem found;
    ``validate_mapping`` lists them all.
    """
    compiled = compile_transform(mapping, "", "")
    if compiled.problems:
        raise compiled.problems[0].to_error()
    return CompiledMapping(compiled.resolve)


def apply_mapping(mapping: object, data: object = MISSING) -> object:
    """Compile ``mapping`` and apply it to ``data`` once.

    Compile with ``compile_mapping`` instead when the mapping runs more than once.
    """
    return compile_mapping(mapping).apply(data)
