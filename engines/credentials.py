"""Content credentials: a C2PA manifest, signed with the user's own key, in the files the
studio makes (the ``c2pa-python`` library, the C2PA reference implementation's bindings).

The manifest states the generator (Sōzō Studio and its version), the model, the action
``c2pa.created`` (or ``c2pa.edited`` with the source picture as an ingredient) and the
IPTC digital source type ``trainedAlgorithmicMedia``. It is signed with ES256 (ECDSA on
P-256) by a key the studio makes on first use, with a certificate chain of its own: a
self-signed root (a CA) and a signing certificate it issues with the key usages C2PA
requires (digitalSignature, and the emailProtection extended key usage; C2PA 2.1
section 14.5.1). Key and certificates are in ``config_dir()/credentials/``, the key
readable by the user only (0600).

What it proves: that the file has not changed since it was signed with this key, and
what the signer says about how it was made. Not who the signer is: the certificate is
self-issued, so readers report it as untrusted (no public trust list knows it).
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engines import APP_NAME, __version__, paths
from engines.messages import message

DIGITAL_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
MIME_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".flac": "audio/flac",
    ".mp4": "video/mp4",
    ".gif": "image/gif",
}


def sniff_mime(path: Path, head: bytes) -> str | None:
    """The file's type by its first bytes (its name's suffix when they say nothing)."""
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith((b"II*\x00", b"MM\x00*")):  # the canvas hands edits over as TIFF
        return "image/tiff"
    return MIME_TYPES.get(path.suffix.lower())


@dataclass(frozen=True)
class KeyFiles:
    folder: Path

    @property
    def key(self) -> Path:
        return self.folder / "signing-key.pem"

    @property
    def chain(self) -> Path:
        return self.folder / "signing-chain.pem"


def key_files(folder: Path | None = None) -> KeyFiles:
    return KeyFiles(folder or paths.config_dir() / "credentials")


def ensure_key(files: KeyFiles | None = None) -> KeyFiles:
    """The user's key and certificate chain, made now when there are none."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    files = files or key_files()
    if files.key.exists() and files.chain.exists():
        return files
    files.folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, APP_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{APP_NAME} local root"),
        ]
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, APP_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{APP_NAME} user signing key"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(files.key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.chmod(files.key, 0o600)
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(
        serialization.Encoding.PEM
    )
    files.chain.write_bytes(chain)
    return files


def fingerprint(files: KeyFiles | None = None) -> str:
    """The SHA-256 fingerprint of the signing certificate, as Settings shows it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    files = ensure_key(files)
    cert = x509.load_pem_x509_certificates(files.chain.read_bytes())[0]
    return ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))


INGREDIENT_ID = "source-photo"


def manifest(model: str | None, edited_from: Path | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {
        "action": "c2pa.edited" if edited_from else "c2pa.created",
        "digitalSourceType": DIGITAL_SOURCE_TYPE,
        "softwareAgent": {"name": APP_NAME, "version": __version__},
    }
    if model:
        action["parameters"] = {"model": model}
    actions = [action]
    if edited_from is not None:
        # C2PA 2.x: an edit's first action opens its source (the parentOf ingredient).
        actions.insert(
            0,
            {
                "action": "c2pa.opened",
                "softwareAgent": {"name": APP_NAME, "version": __version__},
                "parameters": {"ingredientIds": [INGREDIENT_ID]},
            },
        )
    return {
        "claim_generator_info": [{"name": APP_NAME, "version": __version__}],
        "title": "Made with " + APP_NAME,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}],
    }


def _signer(files: KeyFiles | None) -> Any:
    import c2pa

    files = ensure_key(files)
    info = c2pa.C2paSignerInfo(
        c2pa.C2paSigningAlg.ES256, files.chain.read_bytes(), files.key.read_bytes(), None
    )
    return c2pa.Signer.from_info(info)


def _builder(model: str | None, edited_from: Path | None) -> Any:
    import c2pa

    # No thumbnail in the manifest: the library's default embeds a preview of the whole
    # picture, which made a 256 px PNG of 169 kB 307 kB larger (the manifest is 3 kB
    # without it); C2PA makes the thumbnail optional.
    context = c2pa.Context(c2pa.Settings.from_dict({"builder": {"thumbnail": {"enabled": False}}}))
    builder = c2pa.Builder(json.dumps(manifest(model, edited_from)), context)
    if edited_from is not None:
        ingredient = {
            "title": edited_from.name,
            "relationship": "parentOf",
            "label": INGREDIENT_ID,
        }
        source_mime = sniff_mime(edited_from, edited_from.read_bytes()[:16]) or "image/png"
        with edited_from.open("rb") as source:
            builder.add_ingredient(json.dumps(ingredient), source_mime, source)
    return builder


def sign_stream(
    source: Any,
    dest: Any,
    mime: str,
    model: str | None,
    *,
    edited_from: Path | None = None,
    files: KeyFiles | None = None,
) -> None:
    """The one signing function: ``source`` (a whole file of type ``mime``) written to
    ``dest`` with its signed manifest in it. Every other way to sign goes through here."""
    _builder(model, edited_from).sign(_signer(files), mime, source, dest)


def sign_bytes(
    data: bytes,
    mime: str,
    model: str | None,
    *,
    edited_from: Path | None = None,
    files: KeyFiles | None = None,
) -> bytes:
    """``data`` (a whole file of type ``mime``) with its signed manifest in it."""
    import io

    dest = io.BytesIO()
    sign_stream(io.BytesIO(data), dest, mime, model, edited_from=edited_from, files=files)
    return dest.getvalue()


def sign_file(
    path: Path,
    model: str | None,
    *,
    mime: str | None = None,
    edited_from: Path | None = None,
    files: KeyFiles | None = None,
) -> None:
    """Sign ``path`` in place: its manifest written into it (a file beside it, renamed)."""
    with path.open("rb") as f:
        head = f.read(16)
    mime = mime or sniff_mime(path, head)
    if mime is None:
        raise ValueError(f"{path.name}: no content credentials for this kind of file")
    signed = path.with_name(path.name + ".signing")
    try:
        with path.open("rb") as source, signed.open("w+b") as dest:
            sign_stream(source, dest, mime, model, edited_from=edited_from, files=files)
        os.replace(signed, path)
    finally:
        signed.unlink(missing_ok=True)


@dataclass(frozen=True)
class Credentials:
    """What a file's C2PA manifest says, and whether its signature holds."""

    present: bool
    valid: bool  # the signature and the hashes of the content hold
    state: str  # the library's validation state ("Valid", "Invalid"...) or ""
    generator: str
    action: str
    problems: tuple[str, ...] = ()
    ingredients: tuple[str, ...] = ()  # "title (relationship)" of each source named

    def describe(self) -> str:
        if not self.present:
            return message("credentials.none")
        if self.valid:
            sources = (
                message("credentials.from", sources=", ".join(self.ingredients))
                if self.ingredients
                else ""
            )
            return message(
                "credentials.valid", generator=self.generator, action=self.action, sources=sources
            )
        problems = "; ".join(self.problems[:2])
        return message("credentials.invalid", generator=self.generator, problems=problems)


# Codes of a self-issued certificate: not on any trust list, which is expected here.
UNTRUSTED = ("signingCredential.untrusted",)


def read_credentials(path: Path, mime: str | None = None) -> Credentials:
    import c2pa

    mime = mime or sniff_mime(path, path.read_bytes()[:16])
    try:
        with path.open("rb") as stream:
            reader = c2pa.Reader(mime, stream)
            store = json.loads(reader.json())
    except c2pa.C2paError as exc:
        text = str(exc)
        if "ManifestNotFound" in text or "JumbfNotFound" in text or "not found" in text.lower():
            return Credentials(False, False, "", "", "")
        return Credentials(True, False, "Invalid", "?", "?", (text,))
    active = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    generator = ", ".join(
        f"{g.get('name', '')} {g.get('version', '')}".strip()
        for g in active.get("claim_generator_info", [])
    )
    actions = [
        a.get("action", "")
        for assertion in active.get("assertions", [])
        if assertion.get("label", "").startswith("c2pa.actions")
        for a in assertion.get("data", {}).get("actions", [])
    ]
    problems = tuple(
        f"{s.get('code')}: {s.get('explanation', '')}"
        for s in store.get("validation_status", []) or []
        if s.get("code") not in UNTRUSTED
    )
    state = str(store.get("validation_state", ""))
    ingredients = tuple(
        f"{i.get('title', '?')} ({i.get('relationship', '?')})"
        for i in active.get("ingredients", [])
    )
    return Credentials(
        True, not problems, state, generator, ", ".join(actions), problems, ingredients
    )
