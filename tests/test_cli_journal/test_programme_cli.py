"""Choosing the calf programme per athlete (issue 13 item 8): the journal's setting, config.toml, --programme."""

from __future__ import annotations

import datetime as dt

DAY = dt.date(2024, 5, 6)


def test_the_programme_is_chosen_in_the_journal_config_or_command_line(cli):
    cli.ok("log", "workout", "--activity", "calf_raise", "--date", DAY.isoformat(), "--sets-reps", "3x12")
    review = cli.review(DAY)
    assert review["programme"] == "default"
    assert review["next_step"].startswith("repeat 3 × 12 single-leg raises, lowering over 3 s")
    assert cli.ok("log", "programme", "hsr").strip() == "programme: hsr"
    hsr = cli.review(DAY)
    assert hsr["programme"] == "hsr"
    assert hsr["next_step"].startswith("repeat 3 × 12RM, 3 s up and 3 s down")
    # config.toml (a default for the command line) and --programme win over the journal's setting.
    (cli.data_dir / "config.toml").write_text('programme = "alfredson"\n', encoding="utf-8")
    assert cli.review(DAY)["next_step"].startswith("repeat 3 × 15 heel drops with the knee straight")
    code, out, _ = cli("review", "--date", DAY.isoformat(), "--json", "--programme", "default")
    assert code == 0
    assert '"programme": "default"' in out
    (cli.data_dir / "config.toml").write_text('programme = "couch_to_5k"\n', encoding="utf-8")
    code, _, err = cli("review", "--date", DAY.isoformat())
    assert code != 0
    assert 'programme is \'couch_to_5k\'; it must be "default", "alfredson" or "hsr"' in err
    assert len(err.strip().splitlines()) == 1
