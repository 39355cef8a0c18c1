"""The command on streams: -j/--jobs, --no-ner, --batch-size, the progress bar."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time

import pytest

COMMAND = [sys.executable, "-m", "newsclean"]


def newsclean(*args, stdin=None):
    return subprocess.run([*COMMAND, *map(str, args)], input=stdin, capture_output=True,
                          text=True, check=False)


def _records(count: int) -> str:
    lines = []
    for n in range(count):
        text = (f"Joe Biden met Prime Minister Mustafa Al-Kazemi on day {n}.\n\n"
                f"Share this article\n\nThe talks in Baghdad lasted {n} hours.")
        lines.append(json.dumps({"n": n, "text": text}))
    return "\n".join(lines) + "\n"


@pytest.mark.model
def test_jobs_give_the_same_output_in_the_same_order(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(_records(30), encoding="utf-8")
    one = newsclean("--format", "jsonl", "-j", "1", "--batch-size", "4", feed)
    two = newsclean("--format", "jsonl", "-j", "2", "--batch-size", "4", feed)
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert one.stdout == two.stdout
    records = [json.loads(line) for line in two.stdout.splitlines()]
    assert [r["n"] for r in records] == list(range(30))
    assert {"joe-biden", "mustafa-al-kadhimi"} <= {e["id"] for e in records[0]["entities"]}


def test_no_ner_needs_no_model():
    run = newsclean("--no-ner", "--model", "no_such_model", "--format", "jsonl",
                    stdin="Joe Biden met Al-Kazemi in Baghdad.\n\nShare this article\n")
    assert run.returncode == 0, run.stderr
    record = json.loads(run.stdout)
    assert record["text"] == "Joe Biden met Al-Kazemi in Baghdad."
    assert [e["id"] for e in record["entities"]] == ["joe-biden", "mustafa-al-kadhimi",
                                                     "baghdad"]


def test_bad_jobs_and_batch_size_are_usage_errors():
    for option in ("-j", "--batch-size"):
        run = newsclean(option, "0", "--no-entities", stdin="x")
        assert run.returncode == 2
        assert "must be 1 or more" in run.stderr
        assert "Traceback" not in run.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_live_feed_gets_each_record_as_it_is_done(jobs):
    process = subprocess.Popen([*COMMAND, "--no-ner", "--format", "jsonl", "--input-format",
                                "jsonl", "--batch-size", "1", "-j", jobs, "-"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdin is not None and process.stdout is not None
        for n in range(3):
            process.stdin.write(json.dumps({"n": n, "text": f"Joe Biden, day {n}."}) + "\n")
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], 60)
            assert ready, "no output while the input is still open"
            assert json.loads(process.stdout.readline())["n"] == n
        process.stdin.close()
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()


def _run_on_terminal(*args) -> tuple[int, str]:
    """Run the command with stderr on a pseudo-terminal; its stderr as the terminal got it."""
    leader, follower = pty.openpty()
    # a terminal of 24 lines of 100 columns (a new pseudo-terminal has no size)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen([*COMMAND, *args], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_only_on_a_terminal(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(_records(5), encoding="utf-8")
    status, terminal = _run_on_terminal("--no-entities", str(feed))
    assert status == 0
    assert "5 docs" in terminal
    status, terminal = _run_on_terminal("--no-entities", "--no-progress", str(feed))
    assert (status, terminal) == (0, "")
    piped = newsclean("--no-entities", feed)
    assert piped.returncode == 0 and piped.stderr == ""


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as children:
            found.extend(int(child) for child in children.read().split())
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_command_is_killed():
    process = subprocess.Popen([*COMMAND, "--no-entities", "--format", "jsonl",
                                "--input-format", "jsonl", "--batch-size", "1", "-j", "2", "-"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdin is not None and process.stdout is not None
    try:
        for n in range(4):  # more than one batch: the workers start
            process.stdin.write(json.dumps({"n": n, "text": f"Story {n}."}) + "\n")
        process.stdin.flush()
        assert json.loads(process.stdout.readline())["n"] == 0
        workers = _children(process.pid)
        assert len(workers) == 2
        process.kill()  # no chance to stop its workers
        process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in workers)
    finally:
        process.kill()
