import pytest

from runtime.delivery.classify import Verdict, classify_error, classify_response
from runtime.requests import Response


def response(status: int, body: object = None) -> Response:
    return Response(status=status, headers={}, body=body, text="")


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (200, Verdict.DELIVERED),
        (204, Verdict.DELIVERED),
        (400, Verdict.REJECTED),
        (401, Verdict.FAILED),
        (403, Verdict.FAILED),
        (404, Verdict.REJECTED),
        (408, Verdict.RETRY),
        (409, Verdict.REJECTED),
        (422, Verdict.REJECTED),
        (429, Verdict.RETRY),
        (500, Verdict.RETRY),
        (502, Verdict.RETRY),
        (503, Verdict.RETRY),
        (599, Verdict.RETRY),
        (301, Verdict.FAILED),
    ],
    ids=lambda value: str(value.value if isinstance(value, Verdict) else value),
)
def test_classify_response_by_status(status: int, verdict: Verdict) -> None:
    assert classify_response(response(status)).verdict is verdict


def test_classify_response_names_invalid_api_key() -> None:
    reason = classify_response(response(401)).reason
    assert reason == "HTTP 401 invalid API key; check the apiKey setting"


def test_classify_response_uses_definition_override() -> None:
    result = classify_response(
        response(404, {"detail": "no cus_1"}), {404: "customer not found"}
    )
    assert result.reason == "HTTP 404 customer not found: no cus_1"


def test_classify_error_retries() -> None:
    assert classify_error("timed out").verdict is Verdict.RETRY
