"""`consensio vote tally FILE.csv`: counting a recorded vote from a file, as a secretariat officer would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consensio.cli import main
from consensio.engine.roster import load_roster


def write_74_247(path: Path, header: bool = True) -> None:
    """193 rows with the totals of GA resolution 74/247: 79 yes, 60 no, 33 abstentions, 21 not voting."""
    members = [a.name for a in load_roster().members]
    votes = ["Y"] * 79 + ["N"] * 60 + ["A"] * 33 + [""] * 21
    rows = ["member,vote"] if header else []
    rows += [f'"{name}",{vote}' for name, vote in zip(members, votes, strict=True)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["vote", "tally", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_74_247_adopted_under_the_committee_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "a-74-247.csv"
    write_74_247(csv_path)
    status, out, err = run(
        capsys, str(csv_path), "--rulebook", "unga-committee", "--question-type", "substantive"
    )
    assert (status, err) == (0, "")
    assert "Yes                 79\n" in out
    assert "No                  60\n" in out
    assert "Abstain             33\n" in out
    assert "Not voting          21\n" in out
    assert "Present and voting  139\n" in out
    assert "simple majority of the members present and voting: 70 in favour" in out
    assert "Quorum              met (193 present, 97 required)" in out
    assert out.rstrip().endswith("Result              ADOPTED")


def test_74_247_not_adopted_under_two_thirds_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "a-74-247.csv"
    write_74_247(csv_path, header=False)
    status, out, _ = run(
        capsys, str(csv_path), "--rulebook", "ahc-74-247", "--question-type", "article", "--json"
    )
    assert status == 0
    result = json.loads(out)
    assert result["adopted"] is False and result["required"] == 93 and result["majority"] == "two_thirds"
    assert (result["yes"], result["no"], result["abstain"], result["not_voting"]) == (79, 60, 33, 21)
    assert result["quorum_met"] is True and result["question_type"] == "substantive"


def test_aliases_codes_and_absent_members(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "small.csv"
    csv_path.write_text("Turkey,y\nAUT,N\nCzech Republic,a\nBRA,\n", encoding="utf-8")
    status, out, _ = run(
        capsys, str(csv_path), "--rulebook", "unga-committee", "--question-type", "procedural"
    )
    assert status == 0
    assert "Yes                 1\n" in out and "Not voting          190\n" in out
    assert "Quorum              not met (4 present, 97 required)" in out
    assert "NO DECISION (no quorum)" in out


def test_unknown_name_lists_candidates_with_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text("member,vote\nAustria,Y\nAustrlia,N\n", encoding="utf-8")
    status, out, err = run(
        capsys, str(csv_path), "--rulebook", "unga-committee", "--question-type", "substantive"
    )
    assert status == 2 and out == ""
    assert err.startswith(f"consensio: {csv_path}: row 3: no State or organization is known as 'Austrlia'")
    assert "Australia (AUS)" in err and "Traceback" not in err


def test_a_member_listed_twice_names_both_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "twice.csv"
    csv_path.write_text("Austria,Y\nBrazil,N\nAUT,A\n", encoding="utf-8")
    status, _, err = run(
        capsys, str(csv_path), "--rulebook", "unga-committee", "--question-type", "substantive"
    )
    assert status == 2
    assert "rows 1 and 3 are both the vote of AUT ('Austria' and 'AUT')" in err


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (
            "Holy See,Y\n",
            ("--rulebook", "unga-committee"),
            "row 1: VAT is an observer; observers do not vote",
        ),
        ("Austria,maybe\n", ("--rulebook", "unga-committee"), "row 1 (Austria): 'maybe' is not a vote"),
        ("Austria,Y,extra\n", ("--rulebook", "unga-committee"), "row 1: expected 2 columns"),
        ("member,vote\n", ("--rulebook", "unga-committee"), "no votes found"),
        ("Austria,Y\n", ("--rulebook", "no-such"), "--rulebook: no-such: no such rulebook"),
        ("Austria,Y\n", ("--rulebook", "consensus-only"), "states no majority for substantive questions"),
    ],
)
def test_unusable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, args: tuple[str, ...], message: str
) -> None:
    csv_path = tmp_path / "votes.csv"
    csv_path.write_text(content, encoding="utf-8")
    status, _, err = run(capsys, str(csv_path), *args, "--question-type", "substantive")
    assert status == 2
    assert message in err


def test_bad_question_type_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "votes.csv"
    csv_path.write_text("Austria,Y\n", encoding="utf-8")
    status, _, err = run(capsys, str(csv_path), "--rulebook", "unga-committee", "--question-type", "budget")
    assert status == 2 and "--question-type 'budget': expected one of procedural" in err
    status, _, err = run(
        capsys, str(tmp_path / "none.csv"), "--rulebook", "unga-committee", "--question-type", "procedural"
    )
    assert status == 2 and "cannot read" in err


def test_eu_votes_for_its_member_states_under_cop_reio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_path = tmp_path / "cop.csv"
    roster = load_roster()
    eu_states = [a.name for a in roster.members if a.eu_member]
    rows = ["European Union,Y", "France,N"] + [f'"{name}",' for name in eu_states if name != "France"]
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    status, out, err = run(
        capsys, str(csv_path), "--rulebook", "cop-reio", "--question-type", "procedural", "--json"
    )
    assert status == 0, err
    result = json.loads(out)
    assert (result["yes"], result["no"]) == (len(eu_states) - 1, 1)


def test_blank_rows_trailing_cells_and_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "votes.csv"
    csv_path.write_text("\ufeffAUT,Y,,\n\n,\nBRA,N\nXYZ,A\n", encoding="utf-8")
    status, _, err = run(
        capsys, str(csv_path), "--rulebook", "unga-committee", "--question-type", "procedural"
    )
    assert status == 2 and "row 5: no State or organization is known as 'XYZ'" in err
    csv_path.write_bytes("Côte d'Ivoire,Y\n".encode("latin-1"))
    status, _, err = run(
        capsys, str(csv_path), "--rulebook", "unga-committee", "--question-type", "procedural"
    )
    assert status == 2 and "not UTF-8 text" in err
