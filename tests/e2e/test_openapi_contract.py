"""The OpenAPI contract: committed, stable between starts, and documenting the errors as problem documents."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from entrypoints.http.contract import openapi_document

COMMITTED = Path(__file__).parents[2] / "docs" / "openapi.json"
COMMERCE = Path(sys.executable).parent / "commerce"
REGENERATE = "uv run commerce openapi --output docs/openapi.json"
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
async def document(client) -> dict:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield f"{method.upper()} {path}", operation


async def test_the_live_document_is_the_committed_docs_openapi_json(client, document):
    committed = COMMITTED.read_text(encoding="utf-8")
    assert json.loads(committed) == document, f"the contract changed: review it and run `{REGENERATE}`"
    assert openapi_document(client.app) == committed, f"run `{REGENERATE}`"


@pytest.mark.slow
def test_the_document_is_byte_identical_between_starts(tmp_path):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("COMMERCE_")}
    runs = [
        subprocess.run(
            [str(COMMERCE), "openapi"], env=environment, cwd=tmp_path, capture_output=True, check=True, timeout=120
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert runs[0].decode() == COMMITTED.read_text(encoding="utf-8")


async def test_every_secured_operation_documents_401(document):
    missing = [name for name, operation in _operations(document) if operation.get("security")]
    missing = [name for name in missing if "401" not in dict(_operations(document))[name]["responses"]]
    assert missing == []


async def test_every_api_operation_documents_an_error_beyond_400(document):
    bare = [
        name
        for name, operation in _operations(document)
        if " /api/v1/" in name and not {status for status in operation["responses"] if int(status) > 400}
    ]
    assert bare == []


async def test_every_201_documents_its_location_header(document):
    missing = [
        name
        for name, operation in _operations(document)
        if "201" in operation["responses"] and "Location" not in operation["responses"]["201"].get("headers", {})
    ]
    assert missing == []


async def test_every_error_response_is_a_problem_document(document):
    for name, operation in _operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            assert list(response["content"]) == ["application/problem+json"], f"{name} {status}"
            schema = response["content"]["application/problem+json"]["schema"]
            if name != "GET /ready":
                assert schema == {"$ref": "#/components/schemas/Problem"}, f"{name} {status}"
