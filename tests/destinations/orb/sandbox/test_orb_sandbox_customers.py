"""Customer endpoints and seeds of the Orb sandbox, driven with plain httpx."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from destinations.orb.sandbox import SandboxState, SeedError, create_app
from destinations.orb.sandbox.customers import load_customers

NOT_FOUND_TYPE = (
    "https://docs.withorb.com/reference/error-responses#404-resource-not-found"
)
URL_NOT_FOUND_TYPE = (
    "https://docs.withorb.com/reference/error-responses#404-url-not-found"
)
VALIDATION_TYPE = (
    "https://docs.withorb.com/reference/error-responses#400-request-validation-errors"
)
CREATED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def customer_url(encoded_id: str) -> str:
    return f"/v1/customers/external_customer_id/{encoded_id}"


def test_update_customer_sets_name_and_email(
    http: httpx.Client, state: SandboxState
) -> None:
    response = http.put(
        customer_url("user_123"), json={"name": "Renamed", "email": "new@example.com"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Renamed"
    assert body["email"] == "new@example.com"
    assert body["external_customer_id"] == "user_123"
    assert state.customers["user_123"].name == "Renamed"


def test_update_customer_metadata_null_removes_key(http: httpx.Client) -> None:
    response = http.put(
        customer_url("user_123"), json={"metadata": {"plan": None, "tier": "gold"}}
    )

    assert response.status_code == 200
    assert response.json()["metadata"] == {"seats": "5", "tier": "gold"}


def test_update_customer_metadata_null_clears_all(http: httpx.Client) -> None:
    response = http.put(customer_url("user_123"), json={"metadata": None})

    assert response.json()["metadata"] == {}


def test_update_customer_null_name_keeps_name(http: httpx.Client) -> None:
    response = http.put(customer_url("user_123"), json={"name": None})

    assert response.json()["name"] == "Someone"


def test_update_customer_id_with_slash(http: httpx.Client, state: SandboxState) -> None:
    response = http.put(
        customer_url("team%2Falpha%20beta"), json={"metadata": {"owner": "beta"}}
    )

    assert response.status_code == 200
    assert response.json()["external_customer_id"] == "team/alpha beta"
    assert state.customers["team/alpha beta"].metadata == {"owner": "beta"}


def test_fetch_customer_id_with_slash(http: httpx.Client) -> None:
    response = http.get(customer_url("acme%2Fuser%201"))

    assert response.status_code == 200
    assert response.json()["id"] == "cus_acmeuser1ddddd"


def test_customer_unencoded_slash_not_found(http: httpx.Client) -> None:
    response = http.get(customer_url("team/alpha%20beta"))

    assert response.status_code == 404
    assert response.json()["type"] == URL_NOT_FOUND_TYPE


def test_update_unknown_customer_not_found(http: httpx.Client) -> None:
    response = http.put(customer_url("ghost"), json={"name": "Ghost"})

    assert response.status_code == 404
    body = response.json()
    assert body["type"] == NOT_FOUND_TYPE
    assert body["status"] == 404
    assert body["title"]
    assert "'ghost'" in body["detail"]


INVALID_UPDATES = [
    pytest.param({"metadata": {"seats": 5}}, "metadata.seats", id="number-metadata"),
    pytest.param({"metadata": ["a"]}, "metadata must be an object", id="metadata-list"),
    pytest.param({"email": "not-an-email"}, "not a valid email", id="bad-email"),
    pytest.param({"name": ""}, "name must be a non-empty string", id="empty-name"),
    pytest.param({"nmae": "typo"}, "nmae: unknown customer field", id="unknown-field"),
    pytest.param({"currency": "usd"}, "not an ISO 4217 code", id="lowercase-currency"),
    pytest.param(
        {"external_customer_id": "other"}, "cannot change", id="change-external-id"
    ),
]


@pytest.mark.parametrize(("body", "message"), INVALID_UPDATES)
def test_update_customer_rejects_invalid_body(
    http: httpx.Client, state: SandboxState, body: dict[str, Any], message: str
) -> None:
    before = state.customers["user_123"]

    response = http.put(customer_url("user_123"), json=body)

    assert response.status_code == 400
    payload = response.json()
    assert payload["type"] == VALIDATION_TYPE
    assert any(message in error for error in payload["validation_errors"])
    assert state.customers["user_123"] == before


def test_update_customer_ignores_unmodelled_orb_fields(http: httpx.Client) -> None:
    response = http.put(
        customer_url("user_123"), json={"tax_id": None, "hierarchy": {}}
    )

    assert response.status_code == 200


def test_update_customer_other_fields(http: httpx.Client) -> None:
    body = {
        "currency": "EUR",
        "auto_collection": True,
        "email_delivery": False,
        "additional_emails": ["ap@example.com"],
        "external_customer_id": "user_123",
    }

    response = http.put(customer_url("user_123"), json=body)

    customer = response.json()
    assert customer["currency"] == "EUR"
    assert customer["auto_collection"] is True
    assert customer["email_delivery"] is False
    assert customer["additional_emails"] == ["ap@example.com"]


def test_packaged_seed_holds_example_customers() -> None:
    customers = load_customers(None, created_at=CREATED_AT)

    expected = {"user_123", "acct_42", "org_9", "team/alpha beta", "acme/user 1"}
    assert expected <= set(customers)


def test_load_customers_from_mapping_fills_defaults() -> None:
    customers = load_customers(
        {"c1": {"name": "C One", "email": "c1@example.com"}}, created_at=CREATED_AT
    )

    customer = customers["c1"]
    assert customer.created_at == CREATED_AT
    assert customer.id.startswith("cus_")
    assert customer.metadata == {}


def test_load_customers_lists_every_problem() -> None:
    seed = {
        "a": {"name": "A"},
        "b": {"name": "B", "email": "b@example.com", "metadata": {"n": 1}},
        "c": {"name": "C", "email": "c@example.com", "colour": "red"},
    }

    with pytest.raises(SeedError) as caught:
        load_customers(seed, created_at=CREATED_AT)

    locations = [problem.location for problem in caught.value.problems]
    assert locations == [
        "customer seed: 'a'.email",
        "customer seed: 'b'.metadata",
        "customer seed: 'c'.colour",
    ]


def test_load_customers_rejects_shared_orb_id() -> None:
    seed = {
        "a": {"id": "same", "name": "A", "email": "a@example.com"},
        "b": {"id": "same", "name": "B", "email": "b@example.com"},
    }

    with pytest.raises(SeedError, match="also used by 'a'"):
        load_customers(seed, created_at=CREATED_AT)


def test_load_customers_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="cannot read the file"):
        load_customers(tmp_path / "absent.json", created_at=CREATED_AT)


def test_load_customers_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "customers.json"
    path.write_text("{", encoding="utf-8")

    with pytest.raises(SeedError, match="invalid JSON"):
        load_customers(path, created_at=CREATED_AT)


def test_create_app_reads_seed_path(tmp_path: Path) -> None:
    path = tmp_path / "customers.json"
    path.write_text(
        json.dumps({"only": {"name": "Only", "email": "only@example.com"}}),
        encoding="utf-8",
    )

    app = create_app(customers=path)

    assert list(app.state.sandbox.customers) == ["only"]
