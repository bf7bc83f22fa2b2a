"""Compilation of mapping values into resolvers: functions from payload to value.

A mapping is compiled once into nested closures, so applying it to an event
calls functions instead of interpreting JSON. Raw values resolve to themselves,
objects and arrays resolve their items, and objects with an @-key run the
directive registered under that key (see the ``directives_*`` modules).

Objects leave out keys whose value resolves to ``MISSING`` as they are built, which
gives the same result as mapping-kit's final ``removeUndefined`` pass. The one
place where an undefined key is visible earlier is ``@merge``: ``Object.assign``
copies it over a defined value. Resolvers compiled with ``keep_missing`` therefore
keep MISSING values in the object they return (not in nested ones).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from runtime.errors import MappingError
from runtime.mapping.missing import MISSING
from runtime.mapping.problems import MappingProblem, child_pointer, describe_type
from runtime.mapping.root import RootFields

Resolver = Callable[[object], object]
"""A compiled mapping value: takes the payload, returns the value or MISSING."""


@dataclass(frozen=True)
class Site:
    """Location of a directive in the mapping, for its options and its errors."""

    pointer: str
    directive: str
    keep_missing: bool

    def option(self, *keys: str | int) -> str:
        """Return the JSON pointer of an option inside the directive's value."""
        pointer = child_pointer(self.pointer, self.directive)
        for key in keys:
            pointer = child_pointer(pointer, key)
        return pointer

    def error(self, message: str) -> MappingError:
        """Build an error raised while applying this directive."""
        return MappingError(message, pointer=self.pointer, directive=self.directive)

    def failing(self, message: str) -> Resolver:
        """Return a resolver that raises ``message`` each time it runs.

        mapping-kit checks options like these only when the directive runs, so a
        directive in a branch that is never taken does not fail.
        """
        return failing_resolver(MappingProblem(self.pointer, self.directive, message))

    def failing_options(self, expected: str, options: object) -> Resolver:
        """Return a resolver that fails because the options are not ``expected``."""
        found = describe_type(options)
        return self.failing(f"{self.directive} needs {expected}, but it is {found}")


DirectiveCompiler = Callable[[object, Site], Resolver]
"""Compiles a directive's options (the value under its @-key) at a site."""

DIRECTIVES: dict[str, DirectiveCompiler] = {}


def register_directive(name: str) -> Callable[[DirectiveCompiler], DirectiveCompiler]:
    """Register the decorated function as the compiler of directive ``name``."""

    def register(compiler: DirectiveCompiler) -> DirectiveCompiler:
        DIRECTIVES[name] = compiler
        return compiler

    return register


def failing_resolver(problem: MappingProblem) -> Resolver:
    """Return a resolver that raises a fresh error for ``problem`` each time."""

    def fail(_payload: object) -> object:
        raise problem.to_error()

    return fail


def constant(value: object) -> Resolver:
    """Return a resolver of a raw JSON scalar (or MISSING)."""

    def resolve(_payload: object) -> object:
        return value

    return resolve


def compile_value(node: object, pointer: str, keep_missing: bool = False) -> Resolver:
    """Compile any mapping value found at ``pointer``."""
    if isinstance(node, dict):
        name = directive_name(node)
        if name is not None:
            return _compile_directive(node, name, pointer, keep_missing)
        return _compile_object(node, pointer, keep_missing)
    if isinstance(node, list):
        return _compile_array(node, pointer)
    return constant(node)


def directive_name(node: dict[str, object]) -> str | None:
    """Return the directive an object runs, or None for a plain object.

    As in mapping-kit, an object is a directive when it has an @-key and no keys
    other than @-keys and ``_metadata``. The first @-key names the directive.
    """
    name: str | None = None
    for key in node:
        if key.startswith("@"):
            name = key if name is None else name
        elif key != "_metadata":
            return None
    return name


def _compile_directive(
    node: dict[str, object], name: str, pointer: str, keep_missing: bool
) -> Resolver:
    site = Site(pointer, name, keep_missing)
    compiler = DIRECTIVES.get(name)
    if compiler is None:
        known = ", ".join(sorted(DIRECTIVES))
        return site.failing(f"{name} is not a mapping directive; use one of {known}")
    return compiler(node[name], site)


def _compile_object(
    node: dict[str, object], pointer: str, keep_missing: bool
) -> Resolver:
    if isinstance(node, RootFields):
        pointer = node.pointer
    fields = [
        (key, compile_value(value, child_pointer(pointer, key)))
        for key, value in node.items()
    ]
    if keep_missing:

        def resolve_keeping(payload: object) -> object:
            return {key: field(payload) for key, field in fields}

        return resolve_keeping

    def resolve(payload: object) -> object:
        result: dict[str, object] = {}
        for key, field in fields:
            value = field(payload)
            if value is not MISSING:
                result[key] = value
        return result

    return resolve


def _compile_array(node: list[object], pointer: str) -> Resolver:
    items = [
        compile_value(item, child_pointer(pointer, index))
        for index, item in enumerate(node)
    ]

    def resolve(payload: object) -> object:
        return [item(payload) for item in items]

    return resolve


def drop_missing(value: dict[str, object]) -> dict[str, object]:
    """Return ``value`` without its MISSING entries."""
    return {key: item for key, item in value.items() if item is not MISSING}
