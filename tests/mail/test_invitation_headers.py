"""The headers of emailed invitations: Subject and display names in every script, read back
exactly on this Python (RFC 2047 rules checked on the bytes, whatever Python's folding does);
From, Sender and ORGANIZER;SENT-BY; recipients' addresses as they gave them."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from letsconnect_cli.mail import messages
from tests.mail.conftest import (
    ORGANISER,
    SEED_ID,
    check_invitation,
    invite_args,
    lc,
    set_smtp,
)

#: Letters of the scripts invitations are written in, with what makes them hard: Latin accents,
#: Vietnamese stacked diacritics (precomposed and combining), CJK, Thai vowel and tone marks,
#: Arabic, emoji with skin tones, joiners and flags.
SCRIPTS = {
    "latin": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789àéîõüçñßøåÉ",
    "vietnamese": "ắằẳẵặếềểễệốồổỗộớờởỡợứừửữựđĐươƯƠ\u0300\u0301\u0303\u0309\u0323",
    "cjk": "漢字仮名交じり文中文简体繁體한국어かなカナ「」。",
    "thai": "ภาษาไทยสวัสดีครับกขฃคฅฆงจฉชซฌญ\u0e31\u0e34\u0e35\u0e47\u0e48\u0e49\u0e4a\u0e4b",
    "arabic": "العربيةمرحباكيفحالك\u064b\u064e\u0651",
    "emoji": "😀👍🏽🎉\u200d👩👧🇹🇭🇻🇳\ufe0f",
    "punctuation": " .,:;!?'()-=_/?=\"\\<>@\u2013\u2014\u2026",
}
ALPHABET = "".join(SCRIPTS.values())
ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
MIXED = "Huỷ: Hội thảo 運営 \u2014 การประชุม (Chủ Nhật, 4 tháng 4, 2027)"


def _compose(subject: str, name: str) -> bytes:
    letter = messages.Letter("vi", subject, "Body\n", "builtin")
    composer = messages.Composer(
        author=messages.address(ORGANISER, "organiser", name),
        letter=letter,
        method="REQUEST",
    )
    return composer.message(
        recipient="Sione.Tonga@Example.org",
        calendar=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        message_id="<0123456789abcdef.invite@wikimedia.org>",
        date=datetime(2027, 4, 1, tzinfo=UTC),
    )


def _raw_header(data: bytes, name: str) -> str:
    """The header field as written, folds included (without its name)."""
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    match = re.search(rf"^{name}: (.*?)(?=\r\n[^ \t])", head + "\r\nX", re.MULTILINE | re.DOTALL)
    assert match, name
    return match[1]


def _check_rfc2047(data: bytes, raw: str) -> None:
    head = data.split(b"\r\n\r\n", 1)[0]
    for line in head.split(b"\r\n"):
        assert len(line) <= 78, line
    words = list(ENCODED_WORD.finditer(raw))
    for word in words:
        assert len(word[0]) <= 75, word[0]
    for before, after in itertools.pairwise(words):
        between = raw[before.end() : after.start()]
        if between.strip(" \t\r\n") == "":  # adjacent: folding whitespace between them
            assert between == "\r\n ", "encoded-words not separated by folding whitespace"
    assert "?==?" not in raw


def _adjacent_encoded_words(raw: str) -> bool:
    return re.search(r"\?=\r\n =\?", raw) is not None


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    subject=st.text(alphabet=ALPHABET, min_size=1, max_size=160),
    name=st.text(alphabet=ALPHABET, min_size=1, max_size=60),
)
@example(subject=MIXED, name="Đội ngũ Let's Connect 運営チーム")
@example(subject="à" * 30 + " " + "à", name="Tanaka, Hanako")
@example(subject="a" * 90, name='Say "hi" \\ bye')
@example(subject="=?utf-8?q?not_an_encoded_word?=", name="=?x?")
def test_subjects_and_names_read_back_exactly(subject: str, name: str) -> None:
    subject = " ".join(subject.split())
    name = " ".join(name.split())
    if not subject or not name:
        return
    data = _compose(subject, name)
    message = message_from_bytes(data, policy=policy.default)
    assert message["Subject"] == subject
    raw_subject = _raw_header(data, "Subject")
    assert str(make_header(decode_header(raw_subject))) == subject
    _check_rfc2047(data, raw_subject)
    raw_from = _raw_header(data, "From")
    _check_rfc2047(data, raw_from)
    assert message["From"].addresses[0].addr_spec == ORGANISER
    phrase = raw_from.rsplit("<", 1)[0].strip()
    if phrase.startswith('"'):
        phrase = phrase[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    assert str(make_header(decode_header(phrase))) == name  # what RFC 2047 decoders show
    if not _adjacent_encoded_words(raw_from):
        # Python's own address parser too (it shows a space between adjacent encoded-words)
        assert message["From"].addresses[0].display_name == name
    assert not message.defects


def test_the_vietnamese_cancellation_of_the_issue() -> None:
    data = _compose(MIXED, "Let's Connect team")
    assert message_from_bytes(data, policy=policy.default)["Subject"] == MIXED
    raw = _raw_header(data, "Subject")
    assert str(make_header(decode_header(raw))) == MIXED
    _check_rfc2047(data, raw)


def test_a_plain_ascii_subject_stays_readable() -> None:
    subject = "Invitation: Guidelines, best practices, and documented learnings (Sunday 4 April)"
    data = _compose(subject, "Let's Connect team")
    raw = _raw_header(data, "Subject")
    assert "=?" not in raw and raw.replace("\r\n", "") == subject
    assert message_from_bytes(data, policy=policy.default)["Subject"] == subject
    assert b"\r\nFrom: Let's Connect team <letsconnectteam@wikimedia.org>\r\n" in b"\r\n" + data


# --- From, Sender, SENT-BY, and addresses as given --------------------------------------------


def _export(project: Path, rows: list[tuple[str, str, str, str]]) -> None:
    header = (
        '"Timestamp","Email address","Full name","Wikimedia username",'
        '"Which country are you based in?  ","What is your main role in the Wikimedia movement?",'
        '"Affiliation (if any)","Which languages would you like interpretation into? '
        '(Select all that apply)","Which Learning Clinic are you registering for?"'
    )
    clinic = "Guidelines, best practices, and documented learnings related to travel scholarships"
    lines = [header] + [
        f'"{when}","{email}","{name}","{user}","Tonga","Individual volunteer editor","","",'
        f'"{clinic}"'
        for when, email, name, user in rows
    ]
    folder = project / "exports"
    for old in folder.iterdir():
        old.unlink()
    (folder / "people.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _emls(project: Path) -> list[bytes]:
    folder = project / "invites" / SEED_ID / "mail"
    return [p.read_bytes() for p in sorted(folder.glob("*.eml"))]


def test_a_sending_address_of_another_is_sender_and_sent_by(
    runner: CliRunner, mail_project: Path
) -> None:
    set_smtp(mail_project, from_address="no-reply@lists.example.org")
    lc(runner, *invite_args())
    files = _emls(mail_project)
    assert len(files) == 6
    for data in files:
        recipient = data.split(b"\r\nTo: ")[1].split(b"\r\n")[0].decode()
        check_invitation(data, recipient, "REQUEST", 0, sender="no-reply@lists.example.org")


def test_the_organisers_own_address_needs_no_sender(runner: CliRunner, mail_project: Path) -> None:
    set_smtp(mail_project, from_address=ORGANISER.upper())  # the same address, other case
    lc(runner, *invite_args())
    for data in _emls(mail_project):
        recipient = data.split(b"\r\nTo: ")[1].split(b"\r\n")[0].decode()
        check_invitation(data, recipient, "REQUEST", 0)


@pytest.mark.integration
def test_addresses_are_written_as_given_and_matched_case_insensitively(
    runner: CliRunner, mail_project: Path
) -> None:
    from tests.mail.smtpserver import SmtpServer

    _export(
        mail_project,
        [
            ("2023/03/28 9:12:01 AM GMT+8", "Sione.Tonga@Example.org", "Sione Tonga", "Sione"),
            ("2023/03/29 9:12:01 AM GMT+8", "sione.tonga@example.org", "Sione Tonga", ""),
            ("2023/03/30 9:12:01 AM GMT+8", "MAILTO:Ana.Fifita@Example.org", "Ana Fifita", ""),
        ],
    )
    lc(runner, *invite_args())
    files = _emls(mail_project)
    assert len(files) == 2  # Sione registered twice: one person
    tos = sorted(data.split(b"\r\nTo: ")[1].split(b"\r\n")[0].decode() for data in files)
    assert tos == ["Ana.Fifita@Example.org", "Sione.Tonga@Example.org"]
    for data in files:
        recipient = data.split(b"\r\nTo: ")[1].split(b"\r\n")[0].decode()
        check_invitation(data, recipient, "REQUEST", 0)  # ATTENDEE:mailto:<as given>
    with SmtpServer() as server:
        set_smtp(mail_project, host="127.0.0.1", port=server.port, security="none", rate_limit=0)
        lc(runner, *invite_args("--send"))
    assert sorted(m.rcpt_tos[0] for m in server.messages) == tos
    assert {m.mail_from for m in server.messages} == {ORGANISER}


@pytest.mark.parametrize("bad", ["ünï@example.org", "a b@example.org", "x@y\x01.org"])
def test_a_sending_address_lc_cannot_write_is_refused(bad: str) -> None:
    from letsconnect_cli.errors import UsageError

    with pytest.raises(UsageError, match="is not an email address"):
        messages.address(bad, "[smtp] from_address")
