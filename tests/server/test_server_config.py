"""The TOML configuration: sources, destinations, settings and its error messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from runtime.cli.main import main
from runtime.errors import ConfigError
from runtime.registry import Registry
from runtime.server.config import DEFAULT_WRITE_KEY, default_config, load_config
from tests.server.server_harness import PROJECT_ROOT

EXAMPLE = PROJECT_ROOT / "examples/serve/segment-emulator.toml"

VALID = """
[[sources]]
name = "backend"
write_key = "${TEST_WRITE_KEY}"

[[sources]]
name = "web"
write_key = "web-key"

[[destinations]]
name = "billing"
destination = "orb"
sources = ["backend", "web"]
endpoint = "http://127.0.0.1:8765/v1/"

[destinations.settings]
apiKey = "${TEST_ORB_KEY}"
externalCustomerIdField = "userId"

[destinations.retry]
max_attempts = 2
initial_delay = 0.25
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, registry: Registry) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_config(path, registry)
    return [str(problem) for problem in raised.value.problems]


def test_config_reads_connections_and_environment(
    tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_WRITE_KEY", "from-env")
    monkeypatch.setenv("TEST_ORB_KEY", "orb-from-env")
    config = load_config(write(tmp_path, VALID), registry)

    source = config.source_for_key("from-env")
    assert source is not None
    assert source.name == "backend"
    billing = config.destination("billing")
    assert billing is not None
    assert billing.settings["apiKey"] == "orb-from-env"
    assert billing.settings["idempotencyKeyField"] == "messageId"
    assert billing.endpoint == "http://127.0.0.1:8765/v1"
    assert billing.policy.max_attempts == 2
    assert billing.policy.initial_delay == 0.25
    assert [d.name for d in config.destinations_for("web")] == ["billing"]


def test_config_example_file_loads(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEGMENT_WRITE_KEY", "dev-write-key")
    monkeypatch.setenv("ORB_API_KEY", "orb_sandbox_key")
    config = load_config(EXAMPLE, registry)
    assert [d.name for d in config.destinations] == ["orb-billing"]


def test_default_config_feeds_orb_sandbox(registry: Registry) -> None:
    config = default_config(registry)
    assert config.source_for_key(DEFAULT_WRITE_KEY) is not None
    orb = config.destination("orb")
    assert orb is not None
    assert orb.endpoint is None
    assert orb.sources == ("default",)


def test_config_reports_every_problem(
    tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MISSING_KEY_FOR_TEST", raising=False)
    path = write(
        tmp_path,
        """
colour = "blue"

[[sources]]
name = "backend"
write_key = "${MISSING_KEY_FOR_TEST}"

[[destinations]]
name = "billing"
destination = "orbb"
sources = ["backend", "mobile"]
settings = {}

[[destinations]]
name = "second"
destination = "orb"
sources = ["backend"]
endpoint = "ftp://example"
settings = { externalCustomerIdField = "userId", colour = 1 }

[destinations.retry]
max_attempts = 0
""",
    )
    problems = problems_of(path, registry)
    expected = [
        "sources[0].write_key: environment variable MISSING_KEY_FOR_TEST is not set",
        "colour: unknown key",
        "destinations[0].destination: unknown destination 'orbb'; use one of: orb",
        "destinations[0].sources[1]: source 'mobile' is not declared",
        "destinations[1].endpoint: 'ftp://example' is not an http(s) URL",
        "destinations[1].retry.max_attempts: 0 is not a whole number of 1 or more",
        "destinations[1].settings.apiKey",
        "destinations[1].settings",
    ]
    for fragment in expected:
        assert any(fragment in problem for problem in problems), fragment
    assert all(problem.startswith(f"{path}: ") for problem in problems)


def test_config_rejects_invalid_toml(tmp_path: Path, registry: Registry) -> None:
    problems = problems_of(write(tmp_path, "[[sources]\nname = 1"), registry)
    assert len(problems) == 1
    assert "invalid TOML" in problems[0]


def test_config_rejects_duplicate_names_and_keys(
    tmp_path: Path, registry: Registry
) -> None:
    text = """
[[sources]]
name = "a"
write_key = "k"

[[sources]]
name = "a"
write_key = "other"

[[sources]]
name = "b"
write_key = "k"
"""
    problems = problems_of(write(tmp_path, text), registry)
    assert any("sources[1].name: 'a' is used twice" in p for p in problems)
    assert any("sources[2].write_key: is the same" in p for p in problems)


def test_config_requires_a_source(tmp_path: Path, registry: Registry) -> None:
    problems = problems_of(write(tmp_path, "destinations = []\n"), registry)
    assert any("sources: missing" in p for p in problems)


def test_config_missing_file_is_reported(tmp_path: Path, registry: Registry) -> None:
    problems = problems_of(tmp_path / "absent.toml", registry)
    assert "pass an existing TOML file" in problems[0]


def test_serve_bad_config_exits_early(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, '[[sources]]\nname = "a"\n')
    database = tmp_path / "never.sqlite3"
    code = main(["serve", "--config", str(path), "--database", str(database)])
    error = capsys.readouterr().err
    assert code == 2
    assert f"{path}: sources[0].write_key: missing" in error
    assert not database.exists()


@pytest.mark.parametrize(
    ("value", "words"),
    [('"web"', "is 'web', not a list"), ("[]", "is an empty list")],
    ids=["string", "empty"],
)
def test_config_destination_sources_not_list(
    tmp_path: Path, registry: Registry, value: str, words: str
) -> None:
    text = f"""
[[sources]]
name = "web"
write_key = "k"

[[destinations]]
name = "orb"
destination = "orb"
sources = {value}

[destinations.settings]
apiKey = "key_1234"
externalCustomerIdField = "userId"
"""
    problems = problems_of(write(tmp_path, text), registry)
    assert any(f"destinations[0].sources: {words}" in p for p in problems), problems
