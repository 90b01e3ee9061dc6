"""A server on 127.0.0.1 and a free port, on its own job queue, and OpenAI clients for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engines.jobs import Job
from studio.server import ApiServer, SerialJobQueue, ServerConfig

TEXT_MODEL = "smollm2-135m-instruct"
KEY = "test-key-123"


class RecordingQueue(SerialJobQueue):
    """The serial queue, keeping every job it was given (tests look at their states)."""

    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[Job[Any]] = []

    def submit(self, job: Job[Any]) -> None:
        self.submitted.append(job)
        super().submit(job)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    jobs = RecordingQueue()
    config = ServerConfig(
        port=0, max_body_bytes=64 * 1024, output_dir=tmp_path_factory.mktemp("api-images")
    )
    api = ApiServer(config, jobs)
    api.start()
    yield api
    api.stop()
    jobs.close()


@pytest.fixture
def client(server: ApiServer) -> Any:
    import openai

    return openai.OpenAI(base_url=server.address, api_key="unused", max_retries=0, timeout=60)
