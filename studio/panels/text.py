"""The Text panel: chat with a local language model, streamed, with steering sliders.

The panel is a view over a :class:`~studio.panels.text_state.TextState` (model, preset,
system prompt, message, sampling settings), from which each reply's request is built, and
a :class:`~studio.panels.text_state.ConversationState` (the conversation in view, the
streaming reply), which the message list shows. A reply's job writes back to the
conversation it belongs to even when the panel has moved on to another. Models are
loaded and run only through :mod:`engines.registry` (an import-linter contract in
pyproject.toml keeps it so).
"""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QMessageBox, QVBoxLayout, QWidget

from engines import registry, safe_write
from engines.catalogue import Task
from engines.errors import SozoError
from engines.imports import import_user_model
from engines.jobs import Job, JobContext, JobState
from engines.text import conversation as conv
from engines.text.backend import steering_supported
from engines.text.memory import DoesNotFit, check_fits_on_gpu
from engines.text.types import TextResult
from studio.history import recorder as history_hooks
from studio.i18n import QT_TRANSLATE_NOOP, current_language, fill
from studio.i18n.defaults import presets_for
from studio.i18n.engine_text import render, render_all
from studio.panels.base import PanelBase
from studio.panels.steering_dialog import SteeringDialog
from studio.panels.text_controls import TextControls
from studio.panels.text_state import ConversationState, TextState
from studio.state import bind
from studio.widgets.chat_message import MessageWidget
from studio.widgets.chat_view import ChatView


class TextPanel(PanelBase):
    """Chat, continue, summarise, translate or rewrite with a local language model."""

    task = Task.text
    title = QT_TRANSLATE_NOOP("TextPanel", "Text")
    subtitle = QT_TRANSLATE_NOOP(
        "TextPanel",
        "Chat, continue a draft, summarise, translate or rewrite with a language model that stays on this machine.",
    )

    def __init__(self, context: Any, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.job: Job[TextResult] | None = None
        # In Japanese the presets are Japanese ones (names and instructions to the model).
        self.state = TextState(conv.load_presets(presets_for(current_language())), self)
        self.chat = ConversationState(self)
        self.state.model_warnings_changed.connect(
            lambda warnings: self.notice_changed.emit(" ".join(render_all(warnings)))
        )
        self._build_prompt_area()
        self._build_output_area()
        self._refresh_models()

    # The conversation's state by the names tests and older callers read.
    @property
    def conversation(self) -> conv.Conversation:
        return self.chat.conversation

    @property
    def streaming_index(self) -> int | None:
        """The index of the turn being streamed into the conversation in view, if any."""
        reply = self.chat.streaming
        return reply.index if reply is not None and self.chat.in_view(reply) else None

    @property
    def message_widgets(self) -> list[MessageWidget]:
        return self.chat_view.message_widgets

    @property
    def presets(self) -> dict[str, str]:
        return self.state.presets

    # -- layout ----------------------------------------------------------------------
    def _build_prompt_area(self) -> None:
        layout = QVBoxLayout(self.prompt_area)
        layout.setContentsMargins(0, 0, 0, 0)
        self.controls = c = TextControls(self.presets, self.state.steering)
        layout.addWidget(c)
        # The controls by name, as the panel's own (tests and shortcuts reach them here).
        self.steering_box, self.model_combo, self.import_button = (
            c.steering_box,
            c.model_combo,
            c.import_button,
        )
        self.preset_combo, self.instruction_edit = c.preset_combo, c.instruction_edit
        self.system_edit, self.prompt, self.open_button = c.system_edit, c.prompt, c.open_button
        self.stop_button, self.generate_button = c.stop_button, c.generate_button
        self.temperature, self.top_p, self.top_k = c.temperature, c.top_p, c.top_k
        self.repetition, self.max_tokens, self.seed = c.repetition, c.max_tokens, c.seed
        self.steering_sliders = c.steering_box.sliders
        # The state's steering dict, which the sliders write and the running reply reads.
        self.steering_strengths = self.state.steering
        state = self.state
        self.bindings = [
            bind(state, "model_id", c.model_combo, "data"),
            bind(state, "preset", c.preset_combo, "text"),
            bind(state, "instruction", c.instruction_edit, "text"),
            bind(state, "system_prompt", c.system_edit, "text"),
            bind(state, "prompt", c.prompt, "text"),
            bind(state, "temperature", c.temperature),
            bind(state, "top_p", c.top_p),
            bind(state, "top_k", c.top_k),
            bind(state, "repetition_penalty", c.repetition),
            bind(state, "max_new_tokens", c.max_tokens),
            bind(state, "seed", c.seed),
        ]
        c.steering_box.message.connect(self.status_label_text)
        state.model_id_changed.connect(c.steering_box.set_model)
        state.model_id_changed.connect(self._show_steering_support)
        c.import_menu.addAction(self.tr("Model folder (Hugging Face)…"), self._import_folder)
        c.import_menu.addAction(self.tr("GGUF file…"), self._import_gguf)
        state.preset_changed.connect(self._show_preset)
        c.instruction_edit.editingFinished.connect(self._save_template)
        c.new_button.clicked.connect(self.new_conversation)
        c.open_button.clicked.connect(self._open_menu)
        c.export_menu.addAction(self.tr("Markdown…"), lambda: self._export("md"))
        c.export_menu.addAction(self.tr("JSON…"), lambda: self._export("json"))
        c.stop_button.clicked.connect(self.cancel)
        c.generate_button.clicked.connect(self.generate)
        self._show_preset(state.preset)

    def _build_output_area(self) -> None:
        layout = QVBoxLayout(self.output_area)
        layout.setContentsMargins(0, 8, 0, 0)
        self.status_label = QLabel(self.tr("Ready."))
        self.status_label.setObjectName("textStatus")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        self.chat_view = ChatView(self.chat)
        self.chat_view.copy_requested.connect(self._copy)
        self.chat_view.edit_requested.connect(self._edit)
        self.chat_view.regenerate_requested.connect(self._regenerate)
        layout.addWidget(self.chat_view, 1)

    # -- models ----------------------------------------------------------------------
    def _refresh_models(self, select: str | None = None) -> None:
        current = select or self.state.model_id
        self.model_combo.clear()
        for entry in self.context.catalogue.for_task(Task.text):
            state = entry.availability()
            label = (
                entry.name
                if state.available
                else self.tr("%1 (not installed)").replace("%1", entry.name)
            )
            self.model_combo.addItem(label, entry.id)
        if current:
            index = self.model_combo.findData(current)
            if index >= 0:
                self.model_combo.setCurrentIndex(index)

    def import_model(self, path: Path) -> str | None:
        """Add a model folder or GGUF file to the catalogue and select it."""
        try:
            # A damaged GGUF is refused now, not at its first reply (the one door).
            entry = import_user_model(path, "text", self.context.catalogue)
        except SozoError as exc:
            self.status_label.setText(str(exc))
            return None
        self._refresh_models(entry.id)
        self.status_label.setText(self.tr("Imported %1.").replace("%1", entry.name))
        return entry.id

    def _import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Hugging Face model folder"))
        if folder:
            self.import_model(Path(folder))

    def _import_gguf(self) -> None:
        file, _ = QFileDialog.getOpenFileName(
            self, self.tr("GGUF model"), "", self.tr("GGUF (*.gguf)")
        )
        if file:
            self.import_model(Path(file))

    # -- presets and steering ---------------------------------------------------------
    def _show_steering_support(self, model_id: object = None) -> None:
        """Grey the steering sliders for a model whose backend cannot steer."""
        chosen = model_id if isinstance(model_id, str) else self.state.model_id
        self.steering_box.set_supported(steering_supported(chosen))

    def _show_preset(self, _name: str = "") -> None:
        self.state.instruction = self.state.preset_instruction()
        self.instruction_edit.setCursorPosition(0)  # show its start, not its tail
        self.instruction_edit.setPlaceholderText(self.tr("None: your message is sent as it is"))

    def _save_template(self) -> None:
        name = self.state.preset
        template = self.state.template()
        if template == self.presets.get(name):
            return
        try:
            conv.save_preset(name, template)
        except SozoError as exc:
            self.status_label.setText(str(exc))
            self._show_preset()
            return
        self.presets[name] = template

    def open_steering_dialog(self) -> SteeringDialog:
        """Open the dialog to build a steering direction (its slider appears when saved)."""
        return self.steering_box.open_dialog()

    def status_label_text(self, text: str) -> None:
        self.status_label.setText(text)

    # -- conversation ----------------------------------------------------------------
    def _copy(self, index: int) -> None:
        QGuiApplication.clipboard().setText(self.conversation.turns[index].content)
        self.status_label.setText(self.tr("Copied."))

    def _edit(self, index: int) -> None:
        if self._busy():
            return
        self.state.prompt = self.conversation.turns[index].content
        self.chat.cut(index)
        self.status_label.setText(self.tr("Edit the message and send it again."))

    def _regenerate(self, index: int) -> None:
        if self._busy():
            return
        self.chat.cut(index)
        self._start()

    def new_conversation(self) -> None:
        if self._busy():
            return
        self.chat.conversation = conv.Conversation()
        self.state.system_prompt = ""
        self.status_label.setText(self.tr("New conversation."))

    def open_conversation(self, path: Path) -> None:
        try:
            loaded = conv.Conversation.load(path)
        except SozoError as exc:
            self.status_label.setText(str(exc))
            return
        self.chat.conversation = loaded
        self.state.system_prompt = loaded.system
        if loaded.model_id:
            self._refresh_models(loaded.model_id)
        self.status_label.setText(self.tr("Opened “%1”.").replace("%1", loaded.display_title()))

    def _open_menu(self) -> None:
        menu = QMenu(self)
        for path, item in conv.saved_conversations()[:30]:
            menu.addAction(item.display_title(), functools.partial(self.open_conversation, path))
        menu.addSeparator()
        menu.addAction(self.tr("From a file…"), self._open_file)
        menu.exec(self.open_button.mapToGlobal(self.open_button.rect().bottomLeft()))

    def _open_file(self) -> None:
        file, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open conversation"), "", self.tr("JSON (*.json)")
        )
        if file:
            self.open_conversation(Path(file))

    def export(self, path: Path) -> Path:
        """Write the conversation as Markdown (.md) or JSON (anything else)."""
        text = (
            self.conversation.to_markdown()
            if path.suffix.lower() == ".md"
            else self.conversation.to_json()
        )
        # The file dialog asked before replacing a file: overwriting is the user's choice.
        return safe_write.write_text(path, text, overwrite=True)

    def _export(self, kind: str) -> None:
        name = conv.safe_filename(self.conversation.display_title()) + f".{kind}"
        default = str(Path(self.context.settings.output_dir) / name)
        file, _ = QFileDialog.getSaveFileName(self, self.tr("Export conversation"), default)
        if file:
            try:
                self.status_label.setText(
                    self.tr("Exported to %1.").replace("%1", str(self.export(Path(file))))
                )
            except SozoError as exc:  # one line: a full disk, a read-only folder...
                self.status_label.setText(str(exc))
            except OSError as exc:
                self.status_label.setText(
                    fill(self.tr("Could not write %1: %2"), file, str(exc.strerror or exc))
                )

    # -- generation -------------------------------------------------------------------
    def _busy(self) -> bool:
        return self.job is not None and not self.job.state.is_final

    def generate(self) -> None:
        """Send the prompt box's text (through the preset) as the next user message."""
        if self._busy():
            return
        if not self.state.prompt.strip():
            self.status_label.setText(self.tr("The prompt is empty: type a message first."))
            return
        self.chat.add_turn(conv.Turn("user", self.state.user_message()))
        self.state.prompt = ""
        self._start()

    def _start(self, device: str | None = None) -> None:
        model_id = self.state.chosen_model()
        if device is None and not self._fits_on_gpu(model_id):
            return
        self.conversation.system = self.state.system_prompt
        self.conversation.model_id = model_id
        request = self.state.request(self.conversation.messages())
        # The reply remembers its conversation: the user may start or open another one
        # before the job's last signal arrives.
        self.chat.start_reply(model_id)
        loaded: list[tuple[str, ...]] = []  # the model's warnings, once it is loaded

        def work(ctx: JobContext) -> TextResult:
            engine = registry.load(request.model_id, ctx, task=Task.text, device=device)
            # Its warnings (e.g. the fast CPU decoder failed its load-time check) go to
            # the window's status bar when the job is done.
            loaded.append(tuple(getattr(engine, "warnings", ())))
            result: TextResult = engine.generate(request, ctx)
            return result

        self.job = Job(self.tr("Text reply"), work, task=self.task.value)
        conversation_file = conv.conversations_dir() / f"{self.conversation.id}.json"
        history_hooks.text_reply_started(self.context, self.job, request, conversation_file)
        self.generate_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.status_label.setText(self.tr("Starting…"))
        self.context.runner.submit(
            self.job,
            on_done=lambda job: self._on_reply_done(job, loaded),
            on_progress=self._on_reply_progress,
        )

    def _fits_on_gpu(self, model_id: str) -> bool:
        """On CUDA, check the memory estimate first; offer the CPU when it will not fit."""
        choice = self.context.device.choice
        if choice is None or choice.kind != "cuda" or choice.gpu is None:
            return True
        try:
            check_fits_on_gpu(
                model_id, choice.gpu.free_bytes, choice.gpu.name, self.context.catalogue
            )
        except DoesNotFit as exc:
            answer = QMessageBox.question(
                self,
                self.tr("Not enough GPU memory"),
                self.tr("%1\n\nRun it on the CPU?").replace("%1", str(exc)),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._start(device="cpu")
            elif self.conversation.turns and self.conversation.turns[-1].role == "user":
                self.state.prompt = self.conversation.turns[-1].content
                self.chat.cut(len(self.conversation.turns) - 1)
            return False
        except SozoError as exc:
            self.status_label.setText(str(exc))
            return False
        return True

    def _on_reply_progress(self, job: Job[Any]) -> None:
        if job is not self.job or not self.chat.in_view(self.chat.streaming):
            return  # another job's, or the view shows another conversation now
        progress = job.progress
        if progress is None or job.state.is_final:
            return
        if isinstance(progress.preview, str):
            self.chat.stream_text(progress.preview)
            self.status_label.setText(
                self.tr("Streaming · %1").replace("%1", render(progress.message))
            )
        else:
            self.status_label.setText(render(progress.message) or self.tr("Working…"))

    def _on_reply_done(self, job: Job[Any], loaded: list[tuple[str, ...]]) -> None:
        reply = self.chat.streaming
        if job is not self.job or reply is None:
            return
        if loaded:  # a job that failed before its model loaded changes nothing
            self.state.model_warnings = loaded[0]
        self.chat.streaming = None
        owner, index = reply.conversation, reply.index
        result = job.result
        if not self.chat.in_view(reply):
            # The panel moved on (a new or opened conversation): the reply still goes to
            # the conversation it belongs to, and that one is saved, not the one in view.
            if index < len(owner.turns):
                if isinstance(result, TextResult):
                    owner.turns[index].content = result.text
                with contextlib.suppress(OSError, SozoError):
                    owner.save()
            self.generate_button.setEnabled(True)
            self.stop_button.setEnabled(False)
            return
        turn = self.conversation.turns[index]
        if isinstance(result, TextResult):
            turn.content = result.text
            turn.tokens = result.tokens
            turn.tokens_per_second = result.tokens_per_second
            turn.seed = result.seed
            turn.notices = list(result.notices)
        turn.stopped = job.state is JobState.cancelled
        if job.state is JobState.failed:
            self.status_label.setText(render(job.error) or self.tr("The reply failed."))
            if not turn.content:
                self.chat.cut(index)
        else:
            self.chat.turn_edited(index)
            speed = (
                self.tr("%1 tokens/s").replace("%1", f"{turn.tokens_per_second:.1f}")
                if turn.tokens
                else ""
            )
            done = self.tr("Stopped") if turn.stopped else self.tr("Done")
            seed = self.tr("seed %1").replace("%1", str(turn.seed))
            extra = " · ".join(x for x in (speed, seed, *render_all(turn.notices)) if x)
            self.status_label.setText(f"{done} · {extra}")
            self.save_conversation()
        self.generate_button.setEnabled(True)
        self.stop_button.setEnabled(False)

    def save_conversation(self) -> Path | None:
        if not self.conversation.turns:
            return None
        try:
            return self.conversation.save()
        except (OSError, SozoError) as exc:
            self.status_label.setText(
                self.tr("Could not save the conversation: %1").replace("%1", str(exc))
            )
            return None

    def cancel(self) -> None:
        """Stop the reply; the text so far stays."""
        if self.job is not None:
            self.job.cancel()


__all__ = ["TextPanel"]
