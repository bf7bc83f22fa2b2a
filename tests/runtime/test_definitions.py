from pathlib import Path
from typing import Any

import pytest

from runtime.definitions import load_definition
from runtime.errors import DefinitionError
from runtime.registry import Registry
from tests.runtime.builders import write_destination


def problems_loading(folder: Path) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        load_definition(folder)
    return [str(problem) for problem in caught.value.problems]


def test_load_definition_reads_folder(tmp_path: Path) -> None:
    definition = load_definition(write_destination(tmp_path / "echo"))
    assert definition.slug == "echo"
    assert definition.event_types == ("track",)
    assert definition.default_endpoint == "https://echo.invalid"
    assert definition.handler("track") is not None
    assert definition.handler("identify") is None


@pytest.mark.parametrize(
    ("overrides", "pointer", "words"),
    [
        ({"slug": "Echo Two"}, "#/slug", "use lower-case letters"),
        ({"name": None}, "#/name", "missing required value"),
        ({"eventTypes": ["trak"]}, "#/eventTypes/0", "is not one of"),
        (
            {"settings": {"type": "array", "properties": {}}},
            "#/settings/type",
            "settings must be a JSON Schema",
        ),
        (
            {"settings": {"type": "object", "properties": {"a": {"type": "text"}}}},
            "#/settings/properties/a/type",
            "not a valid JSON Schema",
        ),
        ({"batching": {"maxSize": 0}}, "#/batching/maxSize", "1 or more"),
        ({"colour": "blue"}, "#", "unknown key 'colour'"),
        ({"responses": {"4041": "x"}}, "#/responses", "map an HTTP status"),
    ],
    ids=[
        "bad-slug",
        "missing-name",
        "unknown-event-type",
        "settings-not-object",
        "settings-bad-schema",
        "batch-size-zero",
        "unknown-key",
        "bad-status",
    ],
)
def test_load_definition_rejects(
    tmp_path: Path, overrides: dict[str, Any], pointer: str, words: str
) -> None:
    folder = write_destination(tmp_path / "echo", **overrides)
    problems = problems_loading(folder)
    expected = f"{folder / 'destination.json'}{pointer}:"
    assert any(p.startswith(expected) and words in p for p in problems), problems


def test_load_definition_missing_handler(tmp_path: Path) -> None:
    folder = write_destination(tmp_path / "echo", eventTypes=["track", "identify"])
    problems = problems_loading(folder)
    assert problems == [
        f"{folder / 'destination.json'}#/eventTypes: 'identify' is listed but "
        "functions.py defines no on_identify(event, settings); define it or remove the type"
    ]


def test_load_definition_batching_needs_on_batch(tmp_path: Path) -> None:
    folder = write_destination(tmp_path / "echo", batching={"maxSize": 10})
    assert "defines no on_batch" in problems_loading(folder)[0]


def test_load_definition_invalid_json(tmp_path: Path) -> None:
    folder = write_destination(tmp_path / "echo")
    (folder / "destination.json").write_text('{"name": "Echo",\n  "slug": }')
    problems = problems_loading(folder)
    assert problems[0].startswith(f"{folder / 'destination.json'}:2:11: invalid JSON")


def test_load_definition_missing_file(tmp_path: Path) -> None:
    assert "file not found" in problems_loading(tmp_path)[0]


def test_load_definition_syntax_error_names_line(tmp_path: Path) -> None:
    folder = write_destination(tmp_path / "echo", functions="def on_track(:\n")
    problems = problems_loading(folder)
    assert problems[0].startswith(f"{folder / 'functions.py'}:1: invalid Python")


def test_load_definition_import_error(tmp_path: Path) -> None:
    folder = write_destination(tmp_path / "echo", functions="import no_such_module\n")
    assert "cannot import" in problems_loading(folder)[0]


def test_registry_finds_builtin_orb() -> None:
    assert "orb" in Registry.with_builtins().slugs()


def test_registry_unknown_slug_lists_known() -> None:
    with pytest.raises(DefinitionError) as caught:
        Registry.with_builtins().get("orbb")
    assert "known destinations: orb" in str(caught.value)


def test_registry_adds_folder(tmp_path: Path) -> None:
    registry = Registry.with_builtins([write_destination(tmp_path / "echo")])
    assert registry.get("echo").name == "Echo"


def test_registry_adds_every_destination_in_parent_folder(tmp_path: Path) -> None:
    write_destination(tmp_path / "one", slug="one")
    write_destination(tmp_path / "two", slug="two")
    registry = Registry.with_builtins([tmp_path])
    assert {"one", "two"} <= set(registry.slugs())


def test_registry_rejects_duplicate_slug_naming_both(tmp_path: Path) -> None:
    write_destination(tmp_path / "a", slug="orb")
    with pytest.raises(DefinitionError) as caught:
        Registry.with_builtins([tmp_path / "a"])
    message = str(caught.value)
    assert "duplicate destination slug 'orb'" in message
    assert str(tmp_path / "a" / "destination.json") in message
    assert "destinations/orb/destination.json" in message


def test_load_definition_module_error_names_line(tmp_path: Path) -> None:
    folder = write_destination(tmp_path / "echo", functions="x = 1\nundefined_name\n")
    problems = problems_loading(folder)
    assert problems[0].startswith(
        f"{folder / 'functions.py'}:2: NameError while importing"
    )


def test_load_definition_import_error_names_file(tmp_path: Path) -> None:
    folder = write_destination(tmp_path / "echo", functions="import no_such_module\n")
    problem = problems_loading(folder)[0]
    assert (
        f"cannot import {folder / 'functions.py'}: No module named 'no_such_module'"
        in problem
    )
    assert "segment_emulator_destination_" not in problem
