"""The OpenAPI document: valid, complete, and served without a CDN."""

import re

import pytest
import schemathesis
from django.test import Client

from chorus.orgs.tests.matrix import all_cases


@pytest.fixture
def document(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(document):
    return [
        (f"{method.upper()} {path}", operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def test_it_is_a_valid_openapi_document(document):
    schemathesis.openapi.from_dict(document).validate()


def test_it_lists_every_operation(document):
    listed = {name for name, _op in _operations(document)}
    assert listed == {case.endpoint for case in all_cases() if case.is_api}


def test_every_operation_is_described(document):
    ids = set()
    for name, operation in _operations(document):
        assert operation.get("summary"), name
        assert operation.get("tags"), name
        assert operation.get("security") == [{"ApiTokenAuth": []}], name
        ids.add(operation["operationId"])
        responses = operation["responses"]
        for code in ("401", "403", "404", "422"):
            assert responses[code]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }, (name, code)
        assert any(code.startswith("2") for code in responses), name
    assert len(ids) == len(_operations(document))


def test_it_declares_bearer_tokens(document):
    assert document["components"]["securitySchemes"]["ApiTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_the_docs_page_loads_nothing_from_elsewhere(db):
    client = Client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    sources = re.findall(rb'(?:src|href)="([^"]+)"', page.content)
    assert sources and all(s.startswith(b"/api/v1/docs/assets/") for s in sources)
    for source in sources:
        assert client.get(source.decode()).status_code == 200
    assert client.get("/api/v1/docs/assets/..%2Fsettings.py").status_code == 404
