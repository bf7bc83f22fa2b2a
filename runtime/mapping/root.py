"""Top-level preparation of a mapping before validation, as ``transform`` does it.

mapping-kit first spreads the mapping into an object (``{...mapping}``): arrays and
strings become objects keyed by index, numbers and booleans become ``{}``, and
``null`` is rejected. The key ``__segment_internal_directive`` contains one root
directive (usually ``@transform``). The other keys of the mapping move into that
directive's ``mapping`` option, so the root directive runs over their result.
"""

from __future__ import annotations

from dataclasses import dataclass

from runtime.mapping.jsvalues import is_truthy, utf16_units
from runtime.mapping.missing import MISSING
from runtime.mapping.problems import MappingProblem, child_pointer, describe_type

ROOT_DIRECTIVE_KEY = "__segment_internal_directive"


class RootFields(dict[str, object]):
    """Fields moved under the root directive's ``mapping`` option.

    ``pointer`` is where they sit in the mapping as written, so that problems and
    errors inside them point there rather than into the rewritten mapping.
    """

    def __init__(self, fields: dict[str, object], pointer: str) -> None:
        super().__init__(fields)
        self.pointer = pointer


@dataclass(frozen=True)
class PreparedMapping:
    """A mapping ready to validate and compile, or the problem that prevents it."""

    mapping: object
    pointer: str
    problem: MappingProblem | None = None


def prepare_mapping(mapping: object, pointer: str = "") -> PreparedMapping:
    """Spread ``mapping`` into an object and move fields under a root directive."""
    if mapping is None or mapping is MISSING:
        message = (
            f"the mapping is {describe_type(mapping)}; "
            "write it as a JSON object of fields"
        )
        return PreparedMapping(mapping, pointer, MappingProblem(pointer, "", message))
    if not isinstance(mapping, dict) or ROOT_DIRECTIVE_KEY not in mapping:
        return PreparedMapping(_spread(mapping), pointer)
    fields = RootFields(
        {key: value for key, value in mapping.items() if key != ROOT_DIRECTIVE_KEY},
        pointer,
    )
    return _attach_fields(mapping[ROOT_DIRECTIVE_KEY], fields, pointer)


def _spread(mapping: object) -> dict[str, object]:
    if isinstance(mapping, dict):
        return mapping
    if isinstance(mapping, list):
        return {str(index): item for index, item in enumerate(mapping)}
    if isinstance(mapping, str):
        return {str(index): unit for index, unit in enumerate(utf16_units(mapping))}
    return {}


def _attach_fields(root: object, fields: RootFields, pointer: str) -> PreparedMapping:
    root_pointer = child_pointer(pointer, ROOT_DIRECTIVE_KEY)
    keys = _object_keys(root)
    if keys is None:
        return _root_problem(
            root, root_pointer, f"must be an object, but it is {describe_type(root)}"
        )
    if len(keys) > 1:
        return _root_problem(
            root,
            root_pointer,
            f"must hold a single directive, but it has {len(keys)} keys; "
            "keep one directive such as @transform",
        )
    options = _first_value(root, keys)
    if not is_truthy(options) or not isinstance(options, (dict, list)):
        return _root_problem(
            root,
            root_pointer,
            f"must hold a directive whose options are an object, but they are "
            f"{describe_type(options)}; write it as "
            '{"@transform": {"apply": {...}}}',
        )
    if isinstance(root, list):
        return PreparedMapping([_with_fields(options, fields)], root_pointer)
    assert isinstance(root, dict)
    return PreparedMapping({keys[0]: _with_fields(options, fields)}, root_pointer)


def _object_keys(value: object) -> list[str] | None:
    """Return JavaScript ``Object.keys(value)``, or None where it throws (null)."""
    if value is None or value is MISSING:
        return None
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, list):
        return [str(index) for index in range(len(value))]
    if isinstance(value, str):
        return [str(index) for index in range(len(utf16_units(value)))]
    return []


def _first_value(root: object, keys: list[str]) -> object:
    if not keys:
        return MISSING
    if isinstance(root, dict):
        return root[keys[0]]
    if isinstance(root, list):
        return root[0]
    if isinstance(root, str):
        return utf16_units(root)[0]
    return MISSING


def _with_fields(
    options: dict[str, object] | list[object], fields: RootFields
) -> object:
    # Setting a property on a JavaScript array leaves its JSON form unchanged.
    if isinstance(options, list):
        return options
    return {**options, "mapping": fields}


def _root_problem(root: object, pointer: str, message: str) -> PreparedMapping:
    problem = MappingProblem(pointer, "", f"the root directive {message}")
    return PreparedMapping(root, pointer, problem)
