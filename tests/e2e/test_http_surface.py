"""The platform's HTTP surface: health, readiness, docs, request ids and problem details."""

import dataclasses

import msgspec
from litestar import post
from litestar.params import JSONBody
from openapi_spec_validator import validate

from tests.e2e.conftest import app_client

PROBLEM = "application/problem+json"


async def test_health_answers_while_the_process_lives(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_postgres_and_redis_answer(client):
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "reachable": ["postgresql", "redis"], "unreachable": []}


async def test_redis_down_is_degraded_not_unready_because_the_api_still_answers(settings):
    async with app_client(dataclasses.replace(settings, redis_url="redis://127.0.0.1:1/0")) as client:
        response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "reachable": ["postgresql"], "unreachable": ["redis"]}


async def test_not_ready_names_the_dependency_that_is_down(settings):
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:1/commerce"
    async with app_client(dataclasses.replace(settings, database_url=unreachable)) as client:
        response = await client.get("/ready")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_ready"
    assert response.json()["unreachable"] == ["postgresql"]
    assert response.json()["reachable"] == ["redis"]


async def test_an_unreachable_database_is_a_retryable_503_problem_not_a_500(settings):
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:1/commerce"
    async with app_client(dataclasses.replace(settings, database_url=unreachable)) as client:
        response = await client.get("/api/v1/products/01a21a1e-2d81-7723-acf2-aa4953c02900")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"] == "2"
    assert response.json()["code"] == "service_unavailable"


async def test_openapi_document_is_valid_openapi_3_1(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    validate(document)


async def test_docs_are_served_as_swagger_redoc_and_scalar(client):
    for path in ("/schema", "/schema/swagger", "/schema/redoc", "/schema/scalar"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")


async def test_unknown_route_is_a_problem_document(client):
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == 404
    assert body["title"] == "Not Found"
    assert body["instance"] == "/api/v1/no-such-thing"


async def test_wrong_method_is_a_problem_document(client):
    response = await client.delete("/health")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith(PROBLEM)


class Greeting(msgspec.Struct):
    name: str


@post("/echo", sync_to_thread=False)
def echo(data: JSONBody[Greeting]) -> Greeting:
    return data


@post("/explode", sync_to_thread=False)
def explode() -> None:
    raise RuntimeError("secret internals: password=hunter2")


async def test_malformed_json_body_is_a_problem_document(client):
    client.app.register(echo)
    response = await client.post("/echo", content=b'{"name": ', headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["status"] == 400


async def test_a_wrongly_typed_field_is_named_in_the_problem(client):
    client.app.register(echo)
    response = await client.post("/echo", json={"name": 42})
    assert response.status_code == 400
    body = response.json()
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "name" in body["detail"]


async def test_an_unexpected_error_is_a_500_problem_without_internals(client):
    client.app.register(explode)
    response = await client.post("/explode")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text


async def test_every_response_carries_a_request_id(client):
    ok = await client.get("/health")
    missing = await client.get("/nowhere")
    assert len(ok.headers["x-request-id"]) >= 16
    assert len(missing.headers["x-request-id"]) >= 16
    assert ok.headers["x-request-id"] != missing.headers["x-request-id"]


async def test_a_client_request_id_is_echoed(client):
    response = await client.get("/health", headers={"X-Request-ID": "trace-42.a"})
    assert response.headers["x-request-id"] == "trace-42.a"


async def test_an_unsafe_client_request_id_is_replaced(client):
    response = await client.get("/health", headers={"X-Request-ID": "x" * 500})
    assert response.headers["x-request-id"] != "x" * 500
