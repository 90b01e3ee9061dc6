"""What batch runs are compared on: a file's content, its signature checked apart.

Content credentials are never the same bytes twice (random salts and ECDSA nonces,
engines.provenance), so two runs of one batch are compared on each file without its
manifest, byte for byte, and each file's manifest must be there and validate."""

from __future__ import annotations

from pathlib import Path

from engines.credentials import read_credentials
from engines.provenance import signable, unsigned_content


def content(path: Path) -> bytes:
    """``path``'s bytes without its C2PA manifest, which must be present and valid."""
    data = path.read_bytes()
    if signable(path, data[:16]):
        found = read_credentials(path)
        assert found.present and found.valid, (path.name, found.problems)
        stripped = unsigned_content(data)
        assert stripped != data, f"{path.name}: the manifest was not taken out"
        return stripped
    return data
