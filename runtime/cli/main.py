"""Argument parsing and the exit codes shared by every subcommand."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from runtime.cli import check, replay, sandbox, scaffold, try_it
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
    try_it.add_parsers(commands)
    check.add_parser(commands)
    scaffold.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
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


def _configure_logging(verbosity: int) -> None:
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
