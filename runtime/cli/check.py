"""``segment-emulator check``: load destination definitions and report every problem."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from runtime.errors import DefinitionError
from runtime.registry import Registry

__all__ = ["add_parser", "run"]


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "check",
        help="check destination definitions and list their problems",
        description="Load each destination folder (or every destination in a "
        "parent folder), check it as replay would, and list its actions, presets "
        "and any warning. Exit status 0 when all load, 2 otherwise.",
    )
    parser.add_argument(
        "folders",
        nargs="+",
        type=Path,
        metavar="FOLDER",
        help="a destination folder (with destination.json) or a folder of them",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Warnings are printed in each listing, so the loader's log copy is muted.
    logging.getLogger("segment_emulator.definitions").setLevel(logging.ERROR)
    failed = False
    for folder in args.folders:
        registry = Registry()
        try:
            registry.add_folder(folder)
        except DefinitionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed = True
            continue
        for slug in registry.slugs():
            _describe(registry, slug)
    return 2 if failed else 0


def _describe(registry: Registry, slug: str) -> None:
    definition = registry.get(slug)
    print(f"{definition.slug}: {definition.name} ({definition.source}) is valid")
    if definition.event_types:
        print(f"  functions: on_{', on_'.join(definition.event_types)}")
    for name, action in definition.actions.items():
        print(f"  action {name}: {', '.join(action.fields)}")
    for preset in definition.presets:
        print(
            f"  preset {preset.name!r}: {preset.subscription.describe()} -> "
            f"{preset.action.name}"
        )
    for warning in definition.warnings:
        print(f"  warning: {warning}")
