"""What machine a benchmark ran on, read from /proc (Linux) where it can be."""

from __future__ import annotations

from pathlib import Path


def cpu_model(default: str = "?") -> str:
    """The first "model name" of /proc/cpuinfo; ``default`` where there is none."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return default
