"""The ``jixiao`` command's conventions: stdin, closed pipes, Ctrl-C, every file
accounted for, mistakes found before parsing, progress on a terminal only,
per-file limits. Runs that signal or stall are subprocesses with a timeout."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import jixiao_parser.cli as cli
from jixiao_parser import parse_all
from jixiao_parser.cli import main

ROOT = Path(__file__).resolve().parent.parent
FAULTS = Path(__file__).with_name("pool_faults.py")
TEXT_CASES = sorted(ROOT.glob("corpus/cases/*/form.txt"))
SEED_003 = ROOT / "corpus" / "seeds" / "seed_003" / "003_83db39a3659af481.txt"
JIXIAO = [sys.executable, "-m", "jixiao_parser"]


def _lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# -- standard input and closed pipes --------------------------------------------


def test_a_dash_reads_standard_input() -> None:
    done = subprocess.run(
        [*JIXIAO, "parse", "-", str(SEED_003), "--format", "jsonl", "-j", "1"],
        input=SEED_003.read_bytes(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, second = _lines(done.stdout.decode("utf-8"))
    assert first["source"]["path"] == "<stdin>" and second["source"]["path"] == str(SEED_003)
    expected = parse_all(SEED_003)[0].to_dict()
    assert first["indicators"] == second["indicators"] == expected["indicators"]
    assert "2 files, 2 forms" in done.stderr.decode("utf-8")


def test_standard_input_without_a_form_is_a_record(tmp_path: Path) -> None:
    errors = tmp_path / "errors.jsonl"
    done = subprocess.run(
        [*JIXIAO, "parse", "-", "--errors", str(errors), "-q"],
        input="这里没有表格。\n".encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1 and json.loads(done.stdout) == []
    (record,) = _lines(errors.read_text(encoding="utf-8"))
    assert record == {
        "path": "<stdin>",
        "type": "NotAForm",
        "message": "<stdin>: no self-evaluation form found",
    }


def test_a_closed_pipe_ends_the_run_quietly() -> None:
    # far more output than a pipe holds, so the writer meets the closed pipe
    files = [str(p) for p in TEXT_CASES] * 3
    proc = subprocess.Popen(
        [*JIXIAO, "parse", *files, "--format", "jsonl", "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    json.loads(proc.stdout.readline())  # like `| head -1`
    proc.stdout.close()
    try:
        code = proc.wait(timeout=60)
    finally:
        proc.kill()
    err = proc.stderr.read().decode("utf-8")
    assert code == 141
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err


# -- Ctrl-C -------------------------------------------------------------------------


def _wait_for(path: Path, lines: int, proc: subprocess.Popen[bytes], limit: float = 60) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if path.exists() and len(path.read_text(encoding="utf-8").splitlines()) >= lines:
            return
        assert proc.poll() is None, "the run ended before it could be interrupted"
        time.sleep(0.05)
    pytest.fail(f"{path.name} never had {lines} lines")


@pytest.mark.parametrize("fmt", ["jsonl", "json", "parquet"])
def test_ctrl_c_stops_the_pool_and_leaves_valid_partial_output(fmt: str, tmp_path: Path) -> None:
    good = [str(p) for p in TEXT_CASES[:6]]
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 garbage")
    slow = [str(tmp_path / f"SLOW{k}") for k in range(4)]  # each parses for 30 s
    out, errors = tmp_path / f"out.{fmt}", tmp_path / "errors.jsonl"
    argv = [*good, str(broken), *slow, "--format", fmt, "-o", str(out), "--errors", str(errors)]
    proc = subprocess.Popen(
        [sys.executable, str(FAULTS), "cli", "parse", *argv, "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a group of its own, as a terminal's foreground job
    )
    try:
        # broken.pdf's record comes after every good file's result: then Ctrl-C
        _wait_for(errors, 1, proc)
        os.killpg(proc.pid, signal.SIGINT)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8")
    assert code == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "interrupted; 7 of 11 files" in err
    (record,) = _lines(errors.read_text(encoding="utf-8"))
    assert record["path"] == str(broken) and record["type"] == "CorruptDocument"
    expected = sum(len(parse_all(p)) for p in good)
    if fmt == "jsonl":
        assert len(_lines(out.read_text(encoding="utf-8"))) == expected
    elif fmt == "json":
        assert len(json.loads(out.read_text(encoding="utf-8"))) == expected
    else:
        paths = set(pd.read_parquet(out)["path"])
        assert paths == set(good)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["broken.pdf", out.name, errors.name]
    ), "no temporary file left behind"


# -- every file accounted for ---------------------------------------------------------


def test_a_file_without_a_form_is_a_not_a_form_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED_003.read_bytes())
    (folder / "notes.txt").write_text("会议纪要：下周再议。\n", encoding="utf-8")
    (folder / "photo.gif").write_bytes(b"GIF89a" + b"\0" * 64)  # PNG is a scan now (OCR)
    errors = tmp_path / "errors.jsonl"
    assert main(["parse", str(folder), "--errors", str(errors), "-j", "2"]) == 1
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)) == 1
    (record,) = _lines(errors.read_text(encoding="utf-8"))
    assert record["path"] == str(folder / "notes.txt") and record["type"] == "NotAForm"
    assert "3 files, 1 forms; 1 NotAForm, 1 skipped (no known format)" in captured.err


def test_without_errors_file_the_failures_go_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["parse", str(empty), "-j", "1"]) == 1
    assert f"jixiao: {empty}: no self-evaluation form found" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["parse", "check"])
def test_an_empty_directory_or_a_glob_matching_nothing_is_a_usage_error(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "hidden").mkdir()
    (tmp_path / "hidden" / ".x.txt").write_text("x", encoding="utf-8")
    assert main([command, str(tmp_path / "empty")]) == 2
    assert "the directory holds no files" in capsys.readouterr().err
    assert main([command, str(tmp_path / "hidden")]) == 2
    assert main([command, str(SEED_003), str(tmp_path / "*.pdf")]) == 2
    assert f"{tmp_path / '*.pdf'}: no file matches" in capsys.readouterr().err


# -- mistakes found before parsing ------------------------------------------------------


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("parsing started before the arguments were checked")

    monkeypatch.setattr(cli, "parse_many", refuse)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["-j", "-3"], "-j/--jobs: must be a whole number of processes, at least 1, not '-3'"),
        (["-j", "0"], "at least 1"),
        (["-j", "many"], "at least 1"),
        (["--timeout", "0"], "--timeout: must be a positive number of seconds"),
        (["--max-bytes", "lots"], "--max-bytes: must be a positive size"),
        (["--max-pages", "-1"], "--max-pages: must be a whole number"),
    ],
)
def test_bad_options_exit_2_with_a_message(
    options: list[str], message: str, no_parsing: None, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["parse", str(SEED_003), *options])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_outputs_that_cannot_be_written_exit_2_before_parsing(
    tmp_path: Path, no_parsing: None, capsys: pytest.CaptureFixture[str]
) -> None:
    nowhere = tmp_path / "no" / "such" / "dir"
    for fmt in ("json", "jsonl", "csv", "parquet"):
        assert main(["parse", str(SEED_003), "--format", fmt, "-o", str(nowhere / "x")]) == 2
        assert f"no such directory: {nowhere}" in capsys.readouterr().err
    assert main(["parse", str(SEED_003), "-o", str(tmp_path)]) == 2
    assert f"{tmp_path}: is a directory" in capsys.readouterr().err
    assert main(["parse", str(SEED_003), "--errors", str(nowhere / "e.jsonl")]) == 2
    assert main(["parse", str(SEED_003), "--format", "parquet"]) == 2
    assert "--format parquet needs -o FILE" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing made on the way


def test_parquet_without_pyarrow_exits_2_before_parsing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_parsing: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed
    out = tmp_path / "x.parquet"
    assert main(["parse", str(SEED_003), "--format", "parquet", "-o", str(out)]) == 2
    assert "needs pyarrow: pip install 'jixiao_parser[parquet]'" in capsys.readouterr().err
    assert not out.exists()


def test_outputs_are_renamed_into_place_and_readable(tmp_path: Path) -> None:
    out = tmp_path / "forms.json"
    out.write_text("old", encoding="utf-8")
    assert main(["parse", str(SEED_003), "-o", str(out), "-q", "-j", "1"]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["forms.json"]
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- limits ---------------------------------------------------------------------------


def test_timeout_and_size_limits_become_records(tmp_path: Path) -> None:
    errors = tmp_path / "errors.jsonl"
    files = [str(SEED_003), str(tmp_path / "HANG"), str(TEXT_CASES[0])]
    options = ["--timeout", "0.5", "--errors", str(errors), "-j", "2"]
    done = subprocess.run(
        [sys.executable, str(FAULTS), "cli", "parse", *files, *options],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert len(json.loads(done.stdout)) == 2
    (record,) = _lines(errors.read_text(encoding="utf-8"))
    assert record["path"] == str(tmp_path / "HANG")
    assert record["type"] == "ResourceLimitExceeded" and "deadline of 0.5 s" in record["message"]
    assert main(["parse", str(SEED_003), "--max-bytes", "1K", "--errors", str(errors)]) == 1
    (record,) = _lines(errors.read_text(encoding="utf-8"))
    assert record["type"] == "ResourceLimitExceeded" and "1024 (max_bytes)" in record["message"]


# -- progress ---------------------------------------------------------------------------


def _on_a_terminal(argv: list[str]) -> tuple[int, str]:
    """Run with stderr on a pseudo-terminal; (exit code, what the terminal got)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks: list[bytes] = []
    end = time.monotonic() + 60
    while time.monotonic() < end:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the other end closed
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(leader)
    return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("command", ["parse", "check"])
def test_progress_shows_rate_and_eta_on_a_terminal_only(command: str) -> None:
    # a pause mid-run, so that the bar is drawn again with a rate however fast the rest is
    files = [str(p) for p in TEXT_CASES[:4]] + ["PAUSE"] + [str(p) for p in TEXT_CASES[4:7]]
    code, shown = _on_a_terminal([sys.executable, str(FAULTS), "cli", command, *files, "-j", "2"])
    assert code == 1  # PAUSE holds no form
    # count, elapsed < remaining (the ETA), rate
    assert re.search(r"\d/8 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+file/s", shown), shown
    piped = subprocess.run(
        [*JIXIAO, command, *files, "-j", "2"], capture_output=True, text=True, timeout=60
    )
    assert "file/s" not in piped.stderr and "\r" not in piped.stderr


def test_check_takes_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(p) for p in TEXT_CASES[:12]]
    one = main(["check", *files, "-j", "1", "--format", "json"])
    by_one = json.loads(capsys.readouterr().out)
    two = main(["check", *files, "-j", "2", "--format", "json"])
    assert (two, json.loads(capsys.readouterr().out)) == (one, by_one)
    assert len(by_one) > 0  # the cases hold failing checks
