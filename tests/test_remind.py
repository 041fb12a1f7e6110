"""`handbok remind`: lists, .eml files and real delivery to an SMTP server on localhost."""

from __future__ import annotations

import email
import email.policy
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from conftest import CopyFixture, RunCli

DAY = "2026-11-22"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp() -> Any:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (aiosmtpd's own start-up check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def _env(controller: Controller, **extra: str) -> dict[str, str]:
    return {"HANDBOK_SMTP_HOST": "127.0.0.1", "HANDBOK_SMTP_PORT": str(controller.port),
            "HANDBOK_SMTP_FROM": "handboken@kommun.example", "HANDBOK_SITE_URL": "https://intra.example/handbok/",
            **extra}


def test_send_delivers_one_message_per_role_with_address(copy_fixture: CopyFixture, cli: RunCli, smtp: Any) -> None:
    controller, inbox = smtp
    root = copy_fixture("basic")
    run = cli("remind", root, "--today", DAY, "--send", env=_env(controller))
    assert [m[1] for m in inbox.messages] == [["anna.exempel@kommun.example"]]
    sender, _, msg = inbox.messages[0]
    assert sender == "handboken@kommun.example"
    assert "Styrdokument att granska" in msg["Subject"]
    body = msg.get_content()
    assert "Hej Anna Exempel!" in body and "T-002 Utredning" in body
    assert "https://intra.example/handbok/routines/overdue/" in body
    assert "https://intra.example/handbok/guide/skriva-styrdokument/#granskning-utan-andringar" in body
    assert "Skickat till Enhetschef försörjningsstöd" in run.stdout
    # the fixture's arbetsmarknad role has a document due and no address: listed, and exit 1
    assert run.returncode == 1 and "Enhetschef arbetsmarknad: saknar e-postadress" in run.stderr


def test_role_without_address_is_listed_not_skipped(copy_fixture: CopyFixture, cli: RunCli, smtp: Any) -> None:
    controller, inbox = smtp
    root = copy_fixture("basic")
    path = root / "routines" / "overdue.md"
    path.write_text(path.read_text(encoding="utf-8").replace("owner: enhetschef-forsorjningsstod",
                                                             "owner: enhetschef-ame"), encoding="utf-8")
    listed = cli("remind", root, "--today", DAY)
    assert "Enhetschef arbetsmarknad (saknar e-postadress)" in listed.stdout and listed.returncode == 0
    run = cli("remind", root, "--today", DAY, "--send", env=_env(controller))
    assert run.returncode == 1
    assert "Enhetschef arbetsmarknad: saknar e-postadress" in run.stderr


def test_no_password_over_plain_text(copy_fixture: CopyFixture, cli: RunCli, smtp: Any) -> None:
    controller, inbox = smtp
    root = copy_fixture("basic")
    run = cli("remind", root, "--today", DAY, "--send",
              env=_env(controller, HANDBOK_SMTP_USER="u", HANDBOK_SMTP_PASSWORD="hemligt"))
    assert run.returncode == 2 and "STARTTLS" in run.stderr and inbox.messages == []
    assert "hemligt" not in run.stderr + run.stdout


def test_send_without_settings_exits_2(copy_fixture: CopyFixture, cli: RunCli) -> None:
    run = cli("remind", copy_fixture("basic"), "--today", DAY, "--send")
    assert run.returncode == 2 and "HANDBOK_SMTP_HOST" in run.stderr


def test_eml_and_json(copy_fixture: CopyFixture, cli: RunCli, tmp_path: Path) -> None:
    root = copy_fixture("basic")
    out = tmp_path / "mejl"
    run = cli("remind", root, "--today", DAY, "--format", "eml", "-o", out)
    assert run.returncode == 0, run.stderr
    files = sorted(p.name for p in out.iterdir())
    assert "enhetschef-forsorjningsstod.eml" in files
    msg = email.message_from_bytes((out / "enhetschef-forsorjningsstod.eml").read_bytes(), policy=email.policy.default)
    assert msg["To"] == "anna.exempel@kommun.example"
    if "enhetschef-ame.eml" in files:  # a role without address gets a file without To, and is named
        assert "saknar e-postadress" in run.stderr
    data = json.loads(cli("remind", root, "--today", DAY, "--format", "json", "--within", "365").stdout)
    ids = {d["id"] for r in data["reminders"] for d in r["overdue"] + r["due_soon"]}
    assert "T-002" in ids and data["within"] == 365


def test_header_injection_is_impossible(copy_fixture: CopyFixture, cli: RunCli, tmp_path: Path) -> None:
    root = copy_fixture("basic")
    org = root / "data" / "organisation.yml"
    org.write_text(org.read_text(encoding="utf-8").replace(
        "title: Enhetschef försörjningsstöd", 'title: "Chef\\r\\nBcc: evil@example.org"'), encoding="utf-8")
    out = tmp_path / "mejl"
    run = cli("remind", root, "--today", DAY, "--format", "eml", "-o", out)
    assert run.returncode == 0, run.stderr
    raw = (out / "enhetschef-forsorjningsstod.eml").read_bytes()
    assert b"\nBcc:" not in raw


@pytest.mark.parametrize("ci", ["github", "gitlab", "azure"])
def test_init_writes_a_reminder_job_that_is_off(ci: str, tmp_path: Path) -> None:
    import datetime as dt

    import yaml

    from handbok.init import planned_files
    from handbok.remind_ci import REMIND_CI

    path, _ = REMIND_CI[ci]
    raw = planned_files("Exempelby", ci, dt.date(2026, 11, 22))[path]
    data = yaml.safe_load(raw)
    assert "handbok remind --send" in json.dumps(data) and "HANDBOK_SMTP_PASSWORD" in raw
    if ci == "github":
        assert set(data[True]) == {"workflow_dispatch"}  # the schedule is commented out
    elif ci == "gitlab":
        assert data["handbok-paminnelser"]["rules"] == [
            {"if": '$CI_PIPELINE_SOURCE == "schedule" && $HANDBOK_REMIND == "true"'}]
    else:
        assert data["trigger"] == "none" and data["pr"] == "none"
