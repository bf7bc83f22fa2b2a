"""The sentinel for JavaScript ``undefined``: a value that is not present."""

from __future__ import annotations

import enum
from typing import Final, Literal


class Missing(enum.Enum):
    """Type of the ``MISSING`` sentinel (an enum, so type checkers can narrow it)."""

    MISSING = "MISSING"

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing.MISSING
"""A value that is not present, like JavaScript ``undefined``.

Mapping results leave out object keys whose value is MISSING. Inside arrays it is
kept, and JSON output prints it as ``null``, as ``JSON.stringify`` does.
"""

MissingType = Literal[Missing.MISSING]
