"""JavaScript's number-to-text conversion, shared by mapping-kit and subscriptions."""

from __future__ import annotations

import math

__all__ = ["format_js_number"]

# Every integer up to this size is exact as a double, so it prints as itself.
_EXACT_INTEGER_LIMIT = 2**53


def format_js_number(value: float) -> str:
    """Format a number as JavaScript's ``String(number)`` does.

    Integers and floats are the same JavaScript number, so ``10.0`` gives ``"10"``.
    Integers beyond 2**53 are first rounded to the nearest double, because every
    JavaScript number is a double. The digits come from ``repr`` (the shortest that
    round-trip), laid out by the rules of ECMA-262 Number::toString: plain digits
    within [1e-6, 1e21), exponent form (``1e+21``, ``1.5e-7``) outside it.
    """
    if isinstance(value, int):
        if abs(value) <= _EXACT_INTEGER_LIMIT:
            return str(value)
        try:
            value = float(value)
        except OverflowError:
            return "Infinity" if value > 0 else "-Infinity"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits, point = _shortest_digits(abs(value))
    return sign + _layout_digits(digits, point)


def _shortest_digits(value: float) -> tuple[str, int]:
    """Split a positive float into significant digits and the decimal point position.

    The value equals ``0.<digits> * 10**point``; ``digits`` has no leading or
    trailing zeros.
    """
    mantissa, _, exponent_text = repr(value).partition("e")
    exponent = int(exponent_text) if exponent_text else 0
    integer_part, _, fraction_part = mantissa.partition(".")
    digits = integer_part + fraction_part
    point = len(integer_part) + exponent
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    return stripped.rstrip("0"), point


def _layout_digits(digits: str, point: int) -> str:
    count = len(digits)
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return f"{digits[:point]}.{digits[point:]}"
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    exponent = point - 1
    exponent_text = f"+{exponent}" if exponent >= 0 else str(exponent)
    if count == 1:
        return f"{digits}e{exponent_text}"
    return f"{digits[0]}.{digits[1:]}e{exponent_text}"
