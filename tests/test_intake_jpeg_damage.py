"""Damaged JPEG scan data: what a full decode refuses, the import refuses too (it decodes a JPEG
it embeds as it is at 1/8 scale, which still reads every block)."""

from __future__ import annotations

import io
import random
import re

import pytest
from PIL import Image

from app.intake import import_bytes
from app.system.errors import IntakeError


def _scan(seed: int) -> bytes:
    rng = random.Random(seed)
    image = Image.effect_noise((300, 420), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=rng.randint(60, 90), dpi=(150, 150))
    return out.getvalue()


def _flipped(seed: int) -> bytes:
    """A scan with 1 to 73 bits flipped, every other one only in its entropy-coded data."""
    rng = random.Random(seed)
    data = bytearray(_scan(seed))
    scan_start = data.find(b"\xff\xda")
    for _ in range(1 + (seed % 10) * 8):
        low = scan_start if seed % 2 else 2
        pos = rng.randrange(low, len(data) - 2)
        data[pos] ^= 1 << rng.randrange(8)
    return bytes(data)


_AFTER_SCAN = re.compile(rb"\xff[^\x00\xff\xd0-\xd7]")  # the first marker after scan data


def _structure_whole(data: bytes) -> bool:
    """Markers, segment lengths and the end-of-image marker all in place: what a damaged copy
    keeps when only its scan data is hurt (only decoding that data notices)."""
    if not data.startswith(b"\xff\xd8"):
        return False
    pos, scans = 2, 0
    while pos + 1 < len(data):
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        pos += 2
        if marker == 0xD9:
            return scans > 0
        if 0xD0 <= marker <= 0xD7:
            continue
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > len(data):
            return False
        pos += length
        if marker == 0xDA:
            scans += 1
            found = _AFTER_SCAN.search(data, pos)
            if found is None:
                return False
            pos = found.start()
    return False


def _full_decode_refuses(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception:
        return True
    return False


@pytest.fixture(scope="module")
def flipped() -> list[tuple[str, bytes]]:
    return [(f"扫描件{seed:03d}.jpg", _flipped(seed)) for seed in range(300)]


def test_what_a_full_decode_refuses_is_refused_at_import(flipped: list[tuple[str, bytes]]) -> None:
    refused_by_decode = [(name, data) for name, data in flipped if _full_decode_refuses(data)]
    # the corpus has teeth: many damaged, some of them whole in structure (markers, segment
    # lengths, end-of-image all in place), which only decoding the scan data notices
    assert len(refused_by_decode) >= 20
    assert any(_structure_whole(data) for _, data in refused_by_decode)
    for name, data in refused_by_decode:
        with pytest.raises(IntakeError) as caught:
            import_bytes(name, data)
        assert name in caught.value.message


def test_flipped_scans_a_full_decode_accepts_are_still_imported(
    flipped: list[tuple[str, bytes]],
) -> None:
    accepted = [
        (name, data)
        for name, data in flipped
        if _structure_whole(data) and not _full_decode_refuses(data)
    ]
    assert len(accepted) >= 200
    for name, data in accepted[::10]:
        imported = import_bytes(name, data)
        assert imported.page_count == 1
        assert imported.original == data  # embedded as it is, not re-encoded
