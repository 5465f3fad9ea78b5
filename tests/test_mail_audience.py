"""Who receives which brief: a per-asset brief goes to those who chose its asset on the preferences
page (or in an import's tags), the market brief to those who chose it and to everyone who chose no
brief at all. Sent for real to the SMTP server on 127.0.0.1; the ledger is read with plain sqlite3."""

from __future__ import annotations

import email
from email import policy

import pytest

from conftest import EPOCH, SELL_OFF, run_cli
from mail_support import brief_folder, database, mail_env, server, subscribe  # noqa: F401
from reports.publish.mail.audience import receives

# Tags as an operator's import carries them: briefs ("market", "bitcoin", "ethereum") and labels ("vip").
PEOPLE = ("email,name,tags\n"
          "all@example.com,All,market;bitcoin;ethereum\n"
          "market@example.com,Market,market\n"
          "btc@example.com,Btc,bitcoin\n"
          "label@example.com,Label,vip\n"
          "none@example.com,None,\n")


@pytest.fixture(scope="module")
def bitcoin_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("asset-out")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = run_cli("brief", "--week-ending", SELL_OFF.isoformat(), "--asset", "bitcoin",
                         "--formats", "html,json", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out / "assets" / "bitcoin" / SELL_OFF.isoformat()


@pytest.mark.parametrize(("tags", "asset", "expected"), [
    ((), None, True),                         # imported without tags: the weekly brief
    (("vip",), None, True),                   # labels only: still the weekly brief
    (("market",), None, True),
    (("bitcoin",), None, False),              # chose a coin's brief only
    (("bitcoin", "market"), None, True),
    (("bitcoin",), "bitcoin", True),
    (("market",), "bitcoin", False),
    ((), "bitcoin", False),
    (("vip", "ethereum"), "bitcoin", False),
])
def test_the_rule(tags, asset, expected):
    assert receives(tags, asset) is expected


def test_the_market_brief_goes_to_those_who_chose_it_or_chose_nothing(brief_folder, mail_env, tmp_path):
    subscribe(tmp_path, PEOPLE)
    result = run_cli("send", str(brief_folder))
    assert result.exit_code == 0, result.output
    assert set(mail_env.received) == {"all@example.com", "market@example.com", "label@example.com", "none@example.com"}
    assert "= 4; subscribers at campaign time 4 (invariant holds)" in result.output
    with database() as db:
        listed = {row[0] for row in db.execute("SELECT email FROM ledger WHERE brief = ?", (f"week-{SELL_OFF}",))}
    assert "btc@example.com" not in listed


def test_an_asset_brief_goes_only_to_those_who_chose_its_asset(bitcoin_folder, mail_env, tmp_path):
    subscribe(tmp_path, PEOPLE)
    result = run_cli("send", str(bitcoin_folder))
    assert result.exit_code == 0, result.output
    assert set(mail_env.received) == {"all@example.com", "btc@example.com"}
    (_, raw), *_ = mail_env.messages
    assert "Bitcoin" in email.message_from_bytes(raw, policy=policy.default)["Subject"]
    again = run_cli("send", str(bitcoin_folder))  # a rerun adds nobody, sends nothing twice
    assert again.exit_code == 0 and sum(mail_env.received.values()) == 2


def test_a_dry_run_writes_the_same_audience(bitcoin_folder, mail_env, tmp_path):
    subscribe(tmp_path, PEOPLE)
    result = run_cli("send", str(bitcoin_folder), "--dry-run", "--eml-dir", str(tmp_path / "eml"))
    assert result.exit_code == 0, result.output
    assert sorted(path.name.split("-", 1)[1] for path in (tmp_path / "eml").iterdir()) == [
        "all@example.com.eml", "btc@example.com.eml"]


def test_unsubscribe_links_follow_subscribe_url_when_unsubscribe_url_is_unset(brief_folder, mail_env, tmp_path,
                                                                            monkeypatch):
    monkeypatch.delenv("BRIEF_UNSUBSCRIBE_URL")
    monkeypatch.setenv("BRIEF_SUBSCRIBE_URL", "https://news.example.org/join/")
    subscribe(tmp_path, "email,name\nana@example.com,Ana\n")
    result = run_cli("send", str(brief_folder))
    assert result.exit_code == 0, result.output  # not refused: the service's own /unsubscribe is a real address
    (_, raw), = mail_env.messages
    header = email.message_from_bytes(raw, policy=policy.default)["List-Unsubscribe"]
    assert "<https://news.example.org/join/unsubscribe?token=" in header
