"""The error half of the OpenAPI schema: every operation declares the errors it can answer,
each with the one error body (api/exceptions.py `ErrorSerializer`, component `Error`).

Views declare what is particular to them (a 412 where If-Match is honoured, a search 400
that names its parameter); this drf-spectacular post-processing hook adds the rest, so the
docs page and Schemathesis know every error's shape without each view repeating it.
"""

from __future__ import annotations

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_COMPONENT = {
    "type": "object",
    "description": "Every error under /api/ (docs/api.md, 'Errors').",
    "properties": {
        "detail": {"type": "string", "description": "What is wrong, in one sentence."},
        "errors": {
            "type": "object",
            "additionalProperties": {},
            "description": "With a 400: messages keyed by the field or query parameter they "
            "blame (nested for lists and objects; non_field_errors for a rule over several).",
        },
        "parameter": {
            "type": "string",
            "description": "With a 400 to a GET: the query parameter named first in errors.",
        },
    },
    "required": ["detail"],
}
WRITES = ("post", "put", "patch", "delete")

DESCRIPTIONS = {
    "400": "Bad input: `detail` says what, `errors` names the fields or parameters.",
    "401": "Not logged in (a token or a session is needed).",
    "403": "No permission for this change.",
    "404": "No such record (or a draft, for the public), or a page past the last.",
    "406": "No type the endpoint gives is acceptable (Accept).",
    "409": "Other records still use this one.",
    "412": "If-Match does not match the record's current ETag.",
    "413": "The request body is too large.",
    "415": "A body type the endpoint does not take.",
    "429": "Too many requests, or too many failed passwords; see Retry-After.",
    "500": "An unexpected failure (logged); nothing was written.",
    "503": "The catalogue is busy (an import or a restore); nothing was written. See Retry-After.",
}


def errors_of(method: str, operation: dict) -> list[str]:
    """The error statuses an operation can answer, beyond those its view declares."""
    statuses = ["404", "406", "429", "500"]
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.append("400")
    if method in WRITES:
        statuses += ["401", "403", "413", "503"]
    if method in ("post", "put", "patch"):
        statuses.append("415")
    if method == "delete":
        statuses.append("409")
    return statuses


def declare_errors(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing hook: the Error component, and every operation's
    error responses with it as their body."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_COMPONENT
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code in errors_of(method, operation):
                responses.setdefault(code, {"description": DESCRIPTIONS[code]})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400 and not response.get("content"):
                    response["content"] = {"application/json": {"schema": ERROR_REF}}
    return result
