"""Hostile servers: a wiki that redirects the login elsewhere, echoes the password or answers
nonsense; a mail server that echoes the AUTH data. Secrets never reach another origin, a message
or the terminal, in any encoding."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from letsconnect_cli.errors import RemoteError
from letsconnect_cli.mail.smtp import Connection, Server
from letsconnect_cli.masking import Masker, secret_forms
from tests.conftest import invoke
from tests.hostile.fake_wiki import LOGIN_TOKEN, EchoSmtp, FakeWiki

SEED_ID = "2023-04-02-travel-scholarships"
USER = "Example@lc"
#: Characters that URL-encoding, base64 and JSON all change.
PASSWORD = 's3cr3t p@ss/w+rd=&%é"x'
SMTP_USER = "sender@example.org"


def leaked(text: str, password: str = PASSWORD, user: str = USER) -> list[str]:
    """The forms of the password found in `text` (the raw text and its base64 decodings)."""
    forms = secret_forms(password, username=user)
    return [form for form in forms if form in text or form.lower() in text.lower()]


@pytest.fixture
def wiki_env(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LC_WIKI_USERNAME", USER)
    monkeypatch.setenv("LC_WIKI_PASSWORD", PASSWORD)
    return project


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_redirect_to_another_origin_is_never_followed(
    runner: CliRunner, wiki_env: Path, dry_run: bool
) -> None:
    with FakeWiki(host="127.0.0.2") as thief:
        target = f"http://127.0.0.2:{thief.port}/w/api.php"
        with FakeWiki(mode="redirect", redirect_to=target) as wiki:
            args = ["publish", SEED_ID, "--api-url", wiki.api] + (["--dry-run"] if dry_run else [])
            result = invoke(runner, *args)
    assert result.exit_code == 5, result.stderr
    assert "another site" in result.stderr and "127.0.0.2" in result.stderr
    assert thief.seen == []  # nothing at all went to the other origin
    assert wiki.seen and all("lgpassword" not in s.params for s in wiki.seen[:1])
    assert not leaked(result.stdout + result.stderr)


def test_a_redirect_within_the_wiki_is_followed(runner: CliRunner, wiki_env: Path) -> None:
    with FakeWiki(mode="redirect-same") as wiki:
        result = invoke(runner, "publish", SEED_ID, "--api-url", wiki.api)
    assert result.exit_code == 0, result.stderr
    logins = wiki.logins()
    assert logins and logins[-1].path.endswith("?moved=1")
    assert logins[-1].params["lgpassword"] == PASSWORD


@pytest.mark.parametrize(
    "api",
    [
        "http://meta.wikimedia.org/w/api.php",
        "http://10.0.0.1/w/api.php",
        "http://localhost.example.org/w/api.php",
        "ftp://meta.wikimedia.org/w/api.php",
    ],
)
def test_plain_http_is_refused_except_to_loopback(
    runner: CliRunner, wiki_env: Path, api: str
) -> None:
    result = invoke(runner, "publish", SEED_ID, "--api-url", api)
    assert result.exit_code == 2, result.stderr
    assert "https" in result.stderr
    assert not leaked(result.stdout + result.stderr)


def test_the_password_is_masked_in_the_wikis_login_failure(
    runner: CliRunner, wiki_env: Path
) -> None:
    with FakeWiki(mode="echo") as wiki:
        result = invoke(runner, "publish", SEED_ID, "--api-url", wiki.api)
    assert result.exit_code == 5
    assert "login to" in result.stderr and "failed" in result.stderr and "***" in result.stderr
    assert wiki.logins()[0].params["lgpassword"] == PASSWORD  # it was sent, and echoed
    assert not leaked(result.stdout + result.stderr), result.stderr
    assert LOGIN_TOKEN not in result.stderr
    assert quote_plus(PASSWORD) not in result.stderr and quote(PASSWORD, safe="") not in (
        result.stderr
    )


def test_a_dry_run_never_logs_in(runner: CliRunner, wiki_env: Path) -> None:
    with FakeWiki(mode="echo") as wiki:
        result = invoke(runner, "publish", SEED_ID, "--api-url", wiki.api, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "would create" in result.stderr
    assert wiki.logins() == []
    assert all(PASSWORD not in s.body.decode("utf-8", "replace") for s in wiki.seen)
    assert all(s.params.get("type") != "login" for s in wiki.seen)


@pytest.mark.parametrize("index", [False, True])
def test_a_malformed_answer_is_exit_5(runner: CliRunner, wiki_env: Path, index: bool) -> None:
    with FakeWiki(mode="malformed") as wiki:
        what = ["--index"] if index else [SEED_ID]
        result = invoke(runner, "publish", *what, "--api-url", wiki.api)
    assert result.exit_code == 5, result.stderr
    assert "malformed" in result.stderr
    assert "unexpected" not in result.stderr


# --- SMTP ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mechanism", "echo"),
    [
        ("PLAIN", "plain"),
        ("LOGIN", "login"),
        ("PLAIN", "password-b64"),
        ("LOGIN", "password-b64"),
        ("PLAIN", "urlencoded"),
        ("PLAIN", "literal"),
        ("PLAIN", "embedded"),
    ],
)
def test_an_smtp_server_echoing_auth_never_shows_the_password(mechanism: str, echo: str) -> None:
    password = "Sm7p-secret+pass/word=="
    with EchoSmtp(mechanism, echo) as server:
        connection = Connection(
            Server("127.0.0.1", server.port, "none", SMTP_USER, password, timeout=10)
        )
        with pytest.raises(RemoteError) as caught:
            connection.open()
    text = str(caught.value)
    assert "refused the login" in text and "535" in text and "***" in text
    # the server did echo it: what lc got would have shown the secret
    assert any(line.startswith("AUTH") for line in server.received)
    assert not leaked(text, password, SMTP_USER), text
    for chunk in text.split():  # no base64 word decodes to text holding the password
        try:
            decoded = base64.b64decode(chunk + "=" * (-len(chunk) % 4), validate=True)
        except ValueError:
            continue
        assert password.encode() not in decoded


def test_an_smtp_echo_is_masked_through_the_command(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.mail.conftest import EXPORTS, set_clinic, set_smtp, upcoming

    set_clinic(
        project,
        start=upcoming(),
        status="confirmed",
        registration_url="https://meta.wikimedia.org/wiki/Event:x",
    )
    (project / "exports").mkdir()
    (project / "exports" / "r.csv").write_bytes(EXPORTS[0].read_bytes())
    password = "Cli-smtp+secret/pw"
    monkeypatch.setenv("LC_SMTP_PASSWORD", password)
    with EchoSmtp("PLAIN", "plain") as server:
        set_smtp(project, host="127.0.0.1", port=server.port, security="none", username=SMTP_USER)
        result = invoke(
            runner,
            "invite",
            SEED_ID,
            "--region",
            "ESEAP",
            "--registrations",
            "exports",
            "--send",
        )
    assert result.exit_code == 5, result.stderr
    assert "refused the login" in result.stderr
    assert not leaked(result.stdout + result.stderr, password, SMTP_USER), result.stderr


# --- masking, for any password -------------------------------------------------------------

passwords = st.text(min_size=8, max_size=40)  # any text but lone surrogates


@settings(max_examples=200, deadline=None)
@given(
    password=passwords,
    user=st.emails(),
    prefix=st.binary(max_size=5),
    suffix=st.binary(max_size=5),
)
def test_every_encoding_of_any_password_is_masked(
    password: str, user: str, prefix: bytes, suffix: bytes
) -> None:
    masker = Masker()
    masker.add(password, username=user)
    raw = password.encode()
    plain = b"\0" + user.encode() + b"\0" + raw
    replies = [
        password,
        quote(password, safe=""),
        quote(password, safe="").lower(),
        quote_plus(password),
        base64.b64encode(raw).decode(),
        base64.b64encode(plain).decode(),
        base64.b64encode(prefix + raw + suffix).decode(),  # inside a longer base64 text
        base64.urlsafe_b64encode(prefix + raw + suffix).decode(),
    ]
    for reply in replies:
        masked = masker.mask(f"535 5.7.8 failed: {reply} (x)")
        assert password not in masked
        for word in masked.split():
            for decode in (base64.b64decode, base64.urlsafe_b64decode):
                try:
                    data = decode(word + "=" * (-len(word) % 4))
                except ValueError:
                    continue
                assert raw not in data, (reply, masked)
