"""Writing an output file whole or not at all."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from planner.errors import RoadmapFileError, ValidationError
from planner.schema import APPLICATION_ID

SQLITE_HEADER = b"SQLite format 3\x00"


def create_beside(folder: Path, prefix: str, suffix: str) -> tuple[int, Path]:
    """A new, empty file with a random name in ``folder``, open for writing.

    Like ``tempfile.mkstemp``, but with the mode any new file gets (0666 less the umask)
    rather than 0600, so that the finished export or copy can be read by whoever could read
    a file the user saved there by hand.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        path = Path(folder) / f"{prefix}{os.getpid()}.{secrets.token_hex(4)}{suffix}"
        try:
            return os.open(path, flags, 0o666), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def write_atomic(out: Path, write: Callable[[IO[bytes]], Any]) -> None:
    """Write through ``write`` into a temporary file beside ``out``, then replace ``out``."""
    out = Path(out)
    try:
        fd, tmp = create_beside(out.parent, f".{out.name}.", ".part")
    except OSError as exc:
        raise RoadmapFileError(f"cannot write to {out.parent}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if out.is_dir():
            raise RoadmapFileError(
                f"cannot write {out.name}: it is a folder; give a file name, such as "
                f"{out.name}/roadmap{out.suffix}"
            ) from None
        raise RoadmapFileError(f"cannot write {out.name}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def read_bytes(path: Path, limit: int) -> bytes:
    """The whole file, refusing one larger than ``limit`` bytes with a clear message."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise RoadmapFileError(
                f"{path.name} is {size / 1e6:,.0f} MB; files up to {limit / 1e6:,.0f} MB "
                "can be imported"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise RoadmapFileError(f"{path.name}: no such file") from None
    except IsADirectoryError:
        raise RoadmapFileError(f"{path.name} is a folder, not a file") from None
    except PermissionError:
        raise RoadmapFileError(f"{path.name}: permission denied") from None
    except OSError as exc:
        raise RoadmapFileError(f"{path.name} cannot be read: {exc.strerror}") from None


def _utf16_without_bom(head: bytes) -> bool:
    """True when the NULs sit in every other byte, as in UTF-16 text of mostly Latin letters."""
    zeros = head.count(0)
    if len(head) < 4 or zeros * 3 <= len(head):
        return False
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) >= 0.95 * zeros


def refuse_binary(data: bytes, name: str, encoding_given: bool = False) -> None:
    """Refuse a roadmap file, another database or any binary file offered as CSV or JSON."""
    if data.startswith(SQLITE_HEADER):
        app_id = int.from_bytes(data[68:72], "big") if len(data) >= 72 else 0
        if app_id == APPLICATION_ID:
            raise ValidationError(f"{name} is a roadmap file, not a CSV or JSON export")
        raise ValidationError(f"{name} is a database file, not a CSV or JSON export")
    if encoding_given or b"\0" not in data:
        return
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data[:4096]):
        return  # UTF-16 text: its NULs are half of each Latin letter
    raise ValidationError(f"{name} is not a text file, so not a CSV or JSON export")


def refuse_nul_text(text: str, name: str) -> None:
    """Refuse decoded text that holds NUL characters: no CSV or JSON export has them."""
    if "\0" in text:
        raise ValidationError(f"{name} is not a text file, so not a CSV or JSON export")
