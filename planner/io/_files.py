"""Writing an output file whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from planner.errors import RoadmapFileError


def write_atomic(out: Path, write: Callable[[IO[bytes]], Any]) -> None:
    """Write through ``write`` into a temporary file beside ``out``, then replace ``out``."""
    out = Path(out)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    except OSError as exc:
        raise RoadmapFileError(f"cannot write to {out.parent}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
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
