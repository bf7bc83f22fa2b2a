"""Validating and applying an Orb "update customer" request body.

The fields follow Orb's update-by-external-id endpoint (``orb-billing`` 4.90).
A null ``metadata`` clears the mapping and a null value inside it removes that
key, as Orb documents. A null top-level field leaves the value unchanged.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from destinations.orb.sandbox.customers import Customer

# Fields of Orb's update request that the sandbox accepts and ignores.
# NOTE: billing, tax and payment settings are not modelled, so updates to them
# are not visible in the returned customer.
_IGNORED_FIELDS = {
    "accounting_sync_configuration",
    "auto_issuance",
    "billing_address",
    "default_payment_method_id",
    "hierarchy",
    "payment_configuration",
    "payment_provider",
    "payment_provider_id",
    "reporting_configuration",
    "shipping_address",
    "tax_configuration",
    "tax_id",
}

_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")


def validate_update(customer: Customer, body: Mapping[str, Any]) -> list[str]:
    """Return every problem with an update body; empty when it can be applied.

    NOTE: unknown fields are rejected so that typos surface in tests; whether the
    live Orb API rejects or ignores them is unverified.
    """
    problems: list[str] = []
    for name, value in body.items():
        if name in _IGNORED_FIELDS or value is None:
            continue
        check = _FIELD_CHECKS.get(name)
        if check is None:
            problems.append(f"{name}: unknown customer field; check the spelling")
            continue
        problems.extend(check(customer, value))
    return problems


def apply_update(customer: Customer, body: Mapping[str, Any]) -> Customer:
    """Return the customer with a validated update body applied."""
    changes: dict[str, Any] = {}
    for name in ("name", "email", "currency", "auto_collection", "email_delivery"):
        if body.get(name) is not None:
            changes[name] = body[name]

    if body.get("additional_emails") is not None:
        changes["additional_emails"] = tuple(body["additional_emails"])

    if "metadata" in body:
        changes["metadata"] = _merge_metadata(customer.metadata, body["metadata"])

    return dataclasses.replace(customer, **changes)


def _merge_metadata(
    current: Mapping[str, str], update: Mapping[str, str | None] | None
) -> dict[str, str]:
    if update is None:
        return {}

    merged = dict(current)
    for key, value in update.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _check_name(customer: Customer, value: object) -> list[str]:
    if isinstance(value, str) and value.strip():
        return []
    return [f"name must be a non-empty string, got {value!r}"]


def _check_email(customer: Customer, value: object) -> list[str]:
    if isinstance(value, str) and _EMAIL_RE.fullmatch(value):
        return []
    return [f"email {value!r} is not a valid email address; send e.g. a@example.com"]


def _check_currency(customer: Customer, value: object) -> list[str]:
    if isinstance(value, str) and _CURRENCY_RE.fullmatch(value):
        return []
    return [f"currency {value!r} is not an ISO 4217 code; send e.g. USD"]


def _check_flag(name: str) -> Callable[[Customer, object], list[str]]:
    def check(customer: Customer, value: object) -> list[str]:
        if isinstance(value, bool):
            return []
        return [f"{name} must be true or false, got {value!r}"]

    return check


def _check_additional_emails(customer: Customer, value: object) -> list[str]:
    if not isinstance(value, list):
        return [f"additional_emails must be an array of emails, got {value!r}"]
    return [
        f"additional_emails: {item!r} is not a valid email address"
        for item in value
        if not (isinstance(item, str) and _EMAIL_RE.fullmatch(item))
    ]


def _check_metadata(customer: Customer, value: object) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"metadata must be an object of string values, got {value!r}"]
    return [
        f"metadata.{key} must be a string, or null to remove the key, got {item!r}"
        for key, item in value.items()
        if item is not None and not isinstance(item, str)
    ]


def _check_external_id(customer: Customer, value: object) -> list[str]:
    if value == customer.external_customer_id:
        return []
    message = (
        f"external_customer_id cannot change from {customer.external_customer_id!r} "
        f"to {value!r}, because Orb sets it only on customers that have none"
    )
    return [message]


_FIELD_CHECKS: dict[str, Callable[[Customer, object], list[str]]] = {
    "name": _check_name,
    "email": _check_email,
    "currency": _check_currency,
    "auto_collection": _check_flag("auto_collection"),
    "email_delivery": _check_flag("email_delivery"),
    "additional_emails": _check_additional_emails,
    "metadata": _check_metadata,
    "external_customer_id": _check_external_id,
}
