"""A sending run killed mid-way (SIGKILL, no chance to clean up), then run again: every
recipient ends up with exactly one invitation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.mail.conftest import FIRST_ESEAP, invite_args, lc, set_smtp
from tests.mail.smtpserver import Behaviour, SmtpServer


@pytest.mark.integration
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_run_killed_while_sending_is_resumed_by_running_it_again(
    runner: CliRunner, mail_project: Path
) -> None:
    behaviour = Behaviour(hold_after=3)
    with SmtpServer(behaviour=behaviour) as server:
        set_smtp(mail_project, host="127.0.0.1", port=server.port, security="none", rate_limit=0)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
        process = subprocess.Popen(
            [sys.executable, "-m", "letsconnect_cli", *invite_args("--send")],
            cwd=mail_project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert behaviour.held.wait(60), "the fourth message never reached DATA"
            process.send_signal(signal.SIGKILL)
            process.wait(30)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == -signal.SIGKILL
        assert len(server.messages) == 3
        log = (mail_project / ".lc-mail" / "sent.jsonl").read_text().splitlines()
        assert len(log) == 3  # each accepted message was logged before the next one went
        behaviour.hold_after = None
        behaviour.release.set()
        lc(runner, *invite_args("--send"))
        counts = Counter(m.rcpt_tos[0] for m in server.messages)
        assert counts == Counter(FIRST_ESEAP)
        assert len((mail_project / ".lc-mail" / "sent.jsonl").read_text().splitlines()) == 6
