"""Argument parsing and the exit codes shared by every subcommand."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from runtime.cli import check, replay, retry, sandbox, scaffold, serve, try_it
from runtime.errors import SegmentEmulatorError

__all__ = ["EXIT_EVENTS_FAILED", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_EVENTS_FAILED = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="segment-emulator",
        description="Run Segment-style destinations against real events, locally.",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="log delivery attempts (-v) and payloads (-vv) to standard error",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    replay.add_parser(commands)
    sandbox.add_parser(commands)
    serve.add_parser(commands)
    retry.add_parser(commands)
    try_it.add_parsers(commands)
    check.add_parser(commands)
    scaffold.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments, verbosity = _take_verbosity(list(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(arguments)
    _configure_logging(args.verbose + verbosity)
    try:
        code: int = args.run(args)
    except SegmentEmulatorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (such as ``head``) went away; stop quietly like other tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_EVENTS_FAILED
    return code


def _take_verbosity(arguments: list[str]) -> tuple[list[str], int]:
    """Accept -v and --verbose after the subcommand too, as users type them."""
    kept, count = [], 0
    for argument in arguments:
        if argument == "--verbose" or (
            argument.startswith("-v") and set(argument[1:]) == {"v"}
        ):
            count += 1 if argument == "--verbose" else len(argument) - 1
        else:
            kept.append(argument)
    return kept, count


def _configure_logging(verbosity: int) -> None:
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    # httpx logs each request's full URL at INFO, and a URL may carry a secret
    # setting; the runtime logs each attempt itself, redacted.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
