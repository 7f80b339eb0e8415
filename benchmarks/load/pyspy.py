"""Where a bot's CPU goes under load: py-spy attached to the bot process during the measured
window, its collapsed stacks summarised by function (self and inclusive) and by package.

py-spy is not a project dependency: `pip install py-spy` in the virtual environment. Sampling
perturbs the figures a little; profile in a run of its own.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

RATE = 200
FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^():]*)(?::\d+)?\)$")
AREAS = (
    ("msrest/", "msrest"),
    ("botbuilder/", "botbuilder"),
    ("botframework/", "botframework"),
    ("requests/", "requests+urllib3"),
    ("urllib3/", "requests+urllib3"),
    ("aiohttp/", "aiohttp"),
    ("multidict/", "aiohttp"),
    ("yarl/", "aiohttp"),
    ("asyncpg/", "asyncpg"),
    ("sqlite3/", "sqlite3"),
    ("asyncio/", "asyncio"),
    ("concurrent/", "threads"),
    ("threading.py", "threads"),
    ("json/", "json"),
    ("jsonpickle/", "jsonpickle"),
    ("rapidfuzz/", "rapidfuzz"),
    ("logging/", "logging"),
    ("/catalogue/", "hallway catalogue"),
    ("/bot/", "hallway bot"),
    ("/dialogs/", "hallway dialogs"),
)


def py_spy() -> str | None:
    return shutil.which("py-spy")


def area(path: str) -> str:
    for marker, name in AREAS:
        if marker in path:
            return name
    return "other"


def _short(path: str) -> str:
    for marker in ("site-packages/", "lib/python3.11/", "/work/main/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


@dataclass
class Profile:
    samples: int = 0
    self_by_function: Counter[str] = field(default_factory=Counter)
    total_by_function: Counter[str] = field(default_factory=Counter)
    self_by_area: Counter[str] = field(default_factory=Counter)
    by_thread: Counter[str] = field(default_factory=Counter)

    def cpu_ms(self, samples: int, turns: int) -> float:
        """CPU milliseconds per turn that `samples` stand for (one sample = 1/RATE s)."""
        return samples / RATE * 1000 / turns if turns else float("nan")


def read_collapsed(path: Path) -> Profile:
    """Summarise py-spy's `--format raw` output (one `frame;frame;... count` line a stack)."""
    profile = Profile()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = []
        for frame in stack.split(";"):
            match = FRAME.match(frame)
            if match:
                frames.append((match["name"], match["file"]))
        if not frames:
            continue
        profile.samples += count
        keys = {f"{n} ({_short(f)})" for n, f in frames}
        if "_worker (concurrent/futures/thread.py)" in keys:
            profile.by_thread["executor threads"] += count
        elif any(n == "BaseEventLoop.run_forever" for n, _ in frames):
            profile.by_thread["event loop thread"] += count
        else:
            profile.by_thread["other threads"] += count
        name, file = frames[-1]
        profile.self_by_function[f"{name} ({_short(file)})"] += count
        profile.self_by_area[area(file)] += count
        for key in keys:
            profile.total_by_function[key] += count
    return profile


async def record(
    pid: int, seconds: float, output: Path, *, delay: float = 0.0, gil: bool = False
) -> Path | None:
    """Run py-spy on `pid` for `seconds`, after `delay`; the raw stacks file, or None.

    By default every thread that is not idle is sampled (a thread waiting for the GIL or in a
    blocking call counts); with `gil` only the thread holding the GIL, which is closer to where
    the Python CPU goes but misses native work done without the GIL."""
    executable = py_spy()
    if executable is None:
        return None
    await asyncio.sleep(delay)
    process = await asyncio.create_subprocess_exec(
        executable, "record", "--pid", str(pid), "--duration", str(max(1, round(seconds))),
        "--rate", str(RATE), "--format", "raw", "--nonblocking", "--output", str(output),
        "--subprocesses",  # a supervisor's workers too
        *(["--gil"] if gil else []),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        _, errors = await asyncio.wait_for(process.communicate(), seconds + 30)
    except TimeoutError:
        process.kill()
        await process.wait()
        return None
    if process.returncode != 0 or not await asyncio.to_thread(output.exists):
        print(f"py-spy failed ({process.returncode}): {errors.decode(errors='replace')[-500:]}")
        return None
    return output


def report(profile: Profile, turns: int, top: int = 15) -> str:
    lines = [
        f"  {profile.samples} samples at {RATE} Hz over {turns} turns: "
        f"{profile.cpu_ms(profile.samples, turns):.2f} ms sampled per turn "
        "(busy-thread time; several threads can be busy at once)",
        "  by thread (ms/turn):",
    ]
    for name, count in profile.by_thread.most_common():
        lines.append(f"    {name:<20} {profile.cpu_ms(count, turns):7.3f}")
    lines.append("  by package (self time, ms/turn):")
    for name, count in profile.self_by_area.most_common():
        share = count / profile.samples * 100 if profile.samples else 0
        lines.append(f"    {name:<20} {profile.cpu_ms(count, turns):7.3f}  {share:5.1f}%")
    lines.append("  top functions, self time (ms/turn, share):")
    for key, count in profile.self_by_function.most_common(top):
        share = count / profile.samples * 100 if profile.samples else 0
        lines.append(f"    {profile.cpu_ms(count, turns):7.3f} {share:5.1f}%  {key}")
    lines.append("  top functions, inclusive (ms/turn, share):")
    for key, count in profile.total_by_function.most_common(top * 2):
        share = count / profile.samples * 100 if profile.samples else 0
        lines.append(f"    {profile.cpu_ms(count, turns):7.3f} {share:5.1f}%  {key}")
    return "\n".join(lines)
