"""Problems found in a mapping, and the JSON pointers that locate them."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.errors import MappingError
from runtime.mapping.jsvalues import real_type_of


@dataclass(frozen=True)
class MappingProblem:
    """One thing wrong with a mapping: where it is, the directive and the message.

    Kept apart from ``MappingError`` so that a problem found while compiling can be
    raised again, as a fresh error, each time a mapping is applied.
    """

    pointer: str
    directive: str
    message: str

    def to_error(self) -> MappingError:
        """Build a new ``MappingError`` for this problem."""
        return MappingError(
            self.message, pointer=self.pointer, directive=self.directive
        )


def child_pointer(pointer: str, key: str | int) -> str:
    """Append ``key`` to a JSON pointer, escaping ``~`` and ``/`` (RFC 6901)."""
    text = str(key).replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{text}"


def describe_type(value: object) -> str:
    """Name the JavaScript type of ``value`` with its article ("an object")."""
    type_name = real_type_of(value)
    article = "an" if type_name[0] in "aeiou" else "a"
    return f"{article} {type_name}"
