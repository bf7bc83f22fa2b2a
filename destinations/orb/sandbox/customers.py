"""Sandbox customers: the Orb Customer shape and loading them from a seed.

A seed is a JSON object that maps each external customer id to the customer's
fields. ``name`` and ``email`` are required. ``id`` (the Orb customer id),
``metadata``, ``currency``, ``timezone``, ``balance``, ``additional_emails``,
``auto_collection``, ``email_delivery`` and ``created_at`` are optional.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from runtime.errors import Problem, ProblemsError

DEFAULT_SEED_PATH = Path(__file__).with_name("customers.json")

CustomerSeed = Path | Mapping[str, Any] | None

_OPTIONAL_SEED_FIELDS = {
    "id",
    "metadata",
    "currency",
    "timezone",
    "balance",
    "additional_emails",
    "auto_collection",
    "email_delivery",
    "created_at",
}
_SEED_FIELDS = {"name", "email"} | _OPTIONAL_SEED_FIELDS


class SeedError(ProblemsError):
    """Raised when a customer seed file or mapping is unreadable or invalid."""


@dataclass(frozen=True)
class Customer:
    """An Orb customer, with the fields the sandbox stores and updates."""

    id: str
    external_customer_id: str
    name: str
    email: str
    created_at: datetime
    metadata: dict[str, str] = field(default_factory=dict)
    currency: str | None = None
    timezone: str = "Etc/UTC"
    balance: str = "0.00"
    additional_emails: tuple[str, ...] = ()
    auto_collection: bool = False
    email_delivery: bool = True

    def to_json(self) -> dict[str, object]:
        """Return the customer in the shape of Orb's Customer resource."""
        return {
            "id": self.id,
            "external_customer_id": self.external_customer_id,
            "name": self.name,
            "email": self.email,
            "additional_emails": list(self.additional_emails),
            "auto_collection": self.auto_collection,
            "auto_issuance": None,
            "balance": self.balance,
            "billing_address": None,
            "shipping_address": None,
            "created_at": self.created_at.isoformat(),
            "currency": self.currency,
            "email_delivery": self.email_delivery,
            "exempt_from_automated_tax": None,
            "hierarchy": {"children": [], "parent": None},
            "metadata": dict(self.metadata),
            "payment_provider": None,
            "payment_provider_id": None,
            "portal_url": None,
            "tax_id": None,
            "timezone": self.timezone,
            "accounting_sync_configuration": None,
            "reporting_configuration": None,
        }


def derive_customer_id(external_customer_id: str) -> str:
    """Return a stable Orb customer id for a seed entry that gives none."""
    digest = hashlib.sha256(external_customer_id.encode("utf-8")).hexdigest()
    return f"cus_{digest[:16]}"


def load_customers(seed: CustomerSeed, *, created_at: datetime) -> dict[str, Customer]:
    """Read a customer seed and return its customers by external customer id.

    ``seed`` is a JSON file path, an already parsed mapping, or None for the
    packaged ``customers.json``. ``created_at`` is used for entries that give no
    ``created_at``. Raises SeedError listing every invalid entry.
    """
    source = str(seed) if isinstance(seed, Path) else "customer seed"
    entries = _read_seed(seed, source)

    customers: dict[str, Customer] = {}
    problems: list[Problem] = []
    for external_id, entry in entries.items():
        location = f"{source}: {external_id!r}"
        entry_problems = _check_entry(external_id, entry, location)
        if entry_problems:
            problems.extend(entry_problems)
            continue
        customers[external_id] = _build_customer(external_id, entry, created_at)

    problems.extend(_check_unique_ids(customers, source))
    if problems:
        raise SeedError("Invalid customer seed; fix the entries below.", problems)

    return customers


def _read_seed(seed: CustomerSeed, source: str) -> Mapping[str, Any]:
    if seed is None:
        seed = DEFAULT_SEED_PATH

    if isinstance(seed, Path):
        try:
            parsed: object = json.loads(seed.read_text(encoding="utf-8"))
        except OSError as exc:
            problem = Problem(source, f"cannot read the file ({exc.strerror})")
            raise SeedError("Cannot load the customer seed.", [problem]) from exc
        except json.JSONDecodeError as exc:
            problem = Problem(source, f"invalid JSON ({exc}); fix the file syntax")
            raise SeedError("Cannot load the customer seed.", [problem]) from exc
    else:
        parsed = seed

    if not isinstance(parsed, Mapping):
        message = (
            f"expected a JSON object mapping external customer ids to customers, "
            f"got {type(parsed).__name__}"
        )
        raise SeedError("Cannot load the customer seed.", [Problem(source, message)])

    return parsed


def _check_entry(external_id: object, entry: object, location: str) -> list[Problem]:
    if not isinstance(external_id, str) or not external_id:
        return [
            Problem(location, "the external customer id must be a non-empty string")
        ]

    if not isinstance(entry, Mapping):
        return [Problem(location, "the customer must be a JSON object of fields")]

    problems = [
        Problem(
            f"{location}.{name}", f"unknown field; use one of {sorted(_SEED_FIELDS)}"
        )
        for name in entry
        if name not in _SEED_FIELDS
    ]
    for name, check in _FIELD_CHECKS.items():
        if name not in entry:
            if name in ("name", "email"):
                problems.append(Problem(f"{location}.{name}", "missing required field"))
            continue
        message = check(entry[name])
        if message:
            problems.append(Problem(f"{location}.{name}", message))
    return problems


def _check_text(value: object) -> str:
    if isinstance(value, str) and value:
        return ""
    return f"must be a non-empty string, got {value!r}"


def _check_metadata(value: object) -> str:
    if not isinstance(value, Mapping):
        return f"must be an object of string values, got {value!r}"
    bad = [key for key, item in value.items() if not isinstance(item, str)]
    if bad:
        return f"values must be strings; fix the keys {bad}"
    return ""


def _check_flag(value: object) -> str:
    return "" if isinstance(value, bool) else f"must be true or false, got {value!r}"


def _check_emails(value: object) -> str:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ""
    return f"must be a list of strings, got {value!r}"


def _check_created_at(value: object) -> str:
    if not isinstance(value, str):
        return f"must be an ISO 8601 string with an offset, got {value!r}"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return f"invalid ISO 8601 time {value!r}; use e.g. 2026-01-05T09:00:00+00:00"
    if moment.tzinfo is None:
        return f"time {value!r} has no UTC offset; add +00:00"
    return ""


_FIELD_CHECKS = {
    "id": _check_text,
    "name": _check_text,
    "email": _check_text,
    "metadata": _check_metadata,
    "currency": _check_text,
    "timezone": _check_text,
    "balance": _check_text,
    "additional_emails": _check_emails,
    "auto_collection": _check_flag,
    "email_delivery": _check_flag,
    "created_at": _check_created_at,
}


def _build_customer(
    external_id: str, entry: Mapping[str, Any], created_at: datetime
) -> Customer:
    created = entry.get("created_at")
    return Customer(
        id=entry.get("id") or derive_customer_id(external_id),
        external_customer_id=external_id,
        name=entry["name"],
        email=entry["email"],
        created_at=datetime.fromisoformat(created) if created else created_at,
        metadata=dict(entry.get("metadata", {})),
        currency=entry.get("currency"),
        timezone=entry.get("timezone", "Etc/UTC"),
        balance=entry.get("balance", "0.00"),
        additional_emails=tuple(entry.get("additional_emails", ())),
        auto_collection=entry.get("auto_collection", False),
        email_delivery=entry.get("email_delivery", True),
    )


def _check_unique_ids(customers: Mapping[str, Customer], source: str) -> list[Problem]:
    owners: dict[str, str] = {}
    problems: list[Problem] = []
    for external_id, customer in customers.items():
        other = owners.setdefault(customer.id, external_id)
        if other != external_id:
            message = (
                f"Orb id {customer.id!r} is also used by {other!r}; make ids unique"
            )
            problems.append(Problem(f"{source}: {external_id!r}.id", message))
    return problems
