"""Reading /metrics as Prometheus does: the text format, parsed into samples."""

from __future__ import annotations

from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset], float]


def scrape_text(client: Client | None = None, **request) -> str:
    response = (client or Client()).get("/metrics", **request)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


def samples(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client: Client | None = None, **request) -> Samples:
    return samples(scrape_text(client, **request))


def value(found: Samples, name: str, **labels: str) -> float:
    """A sample's value, 0 when it is not there yet (a counter nobody has counted with)."""
    return found.get((name, frozenset(labels.items())), 0.0)
