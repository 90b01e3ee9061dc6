"""Errors in the OpenAI shape: ``{"error": {"message", "type", "param", "code"}}``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engines.errors import BadInput

# HTTP status -> the OpenAI error "type" clients switch on.
ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    411: "invalid_request_error",
    413: "invalid_request_error",
    500: "server_error",
    503: "server_error",
}


@dataclass
class ApiError(Exception):
    """A request the server refuses or could not carry out, said for a person."""

    status: int
    message: str
    param: str | None = None
    code: str | None = None

    def __str__(self) -> str:
        return self.message

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "message": self.message,
                "type": ERROR_TYPES.get(self.status, "invalid_request_error"),
                "param": self.param,
                "code": self.code,
            }
        }


def bad_value(param: str, message: str) -> ApiError:
    return ApiError(400, message, param=param, code="invalid_value")


class Refused(BadInput):
    """An :class:`ApiError` raised inside a job, as the job's error: a message for a
    person (the refusal's own words in the Jobs dock and ``sozo serve``'s log, no
    traceback file), where the bare ApiError read "Internal error (ApiError)"."""

    def __init__(self, error: ApiError) -> None:
        super().__init__(f"Refused ({error.status}): {error.message}")
        self.error = error
