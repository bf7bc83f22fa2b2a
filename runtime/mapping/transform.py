"""Compilation of a whole mapping as mapping-kit's ``transform(mapping, data)`` runs it.

``transform`` checks that the data is an object, prepares the mapping (see
``root``), validates it and resolves it. ``@transform`` calls the same function on
its ``apply`` option, so this module serves both the public ``compile_mapping``
and that directive.
"""

from __future__ import annotations

from dataclasses import dataclass

from runtime.mapping.missing import MISSING
from runtime.mapping.nodes import Resolver, compile_value, failing_resolver
from runtime.mapping.problems import MappingProblem, describe_type
from runtime.mapping.root import prepare_mapping
from runtime.mapping.validate import find_problems


@dataclass(frozen=True)
class CompiledTransform:
    """A compiled ``transform``: its resolver and the problems found in the mapping.

    When there are problems, ``resolve`` raises the first one each time it runs.
    """

    resolve: Resolver
    problems: list[MappingProblem]


def compile_transform(
    mapping: object, pointer: str, directive: str
) -> CompiledTransform:
    """Compile ``mapping`` found at ``pointer`` into a ``transform`` resolver.

    ``directive`` names the directive that runs it ("" at the top level), for the
    error raised when the data is not an object.
    """
    prepared = prepare_mapping(mapping, pointer)
    problems = [prepared.problem] if prepared.problem else []
    if not problems:
        problems = find_problems(prepared.mapping, prepared.pointer)
    if problems:
        return CompiledTransform(failing_resolver(problems[0]), problems)
    resolve_mapping = compile_value(prepared.mapping, prepared.pointer)

    def resolve(data: object) -> object:
        if data is MISSING:
            data = {}
        elif not isinstance(data, dict):
            raise MappingProblem(
                pointer,
                directive,
                f"data must be an object, but it is {describe_type(data)}; "
                "pass the event as a JSON object",
            ).to_error()
        return resolve_mapping(data)

    return CompiledTransform(resolve, [])
