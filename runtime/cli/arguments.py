"""Argument types shared by the subcommands, each with a plain error message."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "add_destinations_dir",
    "add_host",
    "base_url",
    "port_number",
    "positive_integer",
    "positive_seconds",
]


def positive_integer(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a number of seconds, got {text!r}"
        ) from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            f"must be a finite number of seconds above 0, got {text!r}"
        )
    return value


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a port number, got {text!r}"
        ) from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 0 to 65535, got {value}")
    return value


def base_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(
            f"must be an http(s) URL such as https://api.withorb.com/v1, got {text!r}"
        )
    return text.rstrip("/")


def add_destinations_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--destinations-dir",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="load destination definitions from DIR as well (repeatable)",
    )


def add_host(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
