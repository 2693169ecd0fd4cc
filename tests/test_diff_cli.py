"""The commands as a user and CI call them: `report diff` through the
`report` entry point, and the pull-request workflow that chains them."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import yaml

from report.cli import build_parser, main
from report.review._command import REDLINE, SUMMARY_JSON, SUMMARY_MARKDOWN

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "diff"
WORKFLOW = ROOT / ".github" / "workflows" / "preview.yml"


def test_report_diff_runs_from_the_command_line(tmp_path, capsys):
    code = main(["diff", str(FIXTURES / "old"), str(FIXTURES / "new"), "--output", str(tmp_path / "_diff")])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "_diff").iterdir()) == [REDLINE, SUMMARY_JSON, SUMMARY_MARKDOWN]
    assert capsys.readouterr().out.strip().endswith(f"redline in {tmp_path / '_diff' / REDLINE}")


def test_summary_markdown_is_a_short_comment_in_the_books_language(tmp_path):
    main(["diff", str(FIXTURES / "old"), str(FIXTURES / "new"), "--output", str(tmp_path / "out")])
    markdown = (tmp_path / "out" / SUMMARY_MARKDOWN).read_text(encoding="utf-8")
    assert "```json" not in markdown  # the JSON is summary.json's, not repeated in the comment
    assert "6 hoofdstuk(ken) gewijzigd: alinea's 4, verplaatst 1, getallen 2, figuren 2, tabellen 1." in markdown
    assert "| Hoofdstuk | Status | Alinea's | Verplaatst | Getallen | Figuren | Tabellen |" in markdown
    assert "| 3.060 → **3.112** |" in markdown
    assert "- Tabel 5.1: Respondenten per rol (gewijzigd)" in markdown
    assert "- Figuur 4.1: Meldingen per jaar (gewijzigd)" in markdown


def workflow_steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    assert workflow[True] == {"pull_request": None}
    return workflow["jobs"]["preview"]["steps"]


def test_preview_workflow_installs_from_the_lock_file_and_checks_out_history():
    steps = workflow_steps()
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    install = next(s for s in steps if s.get("name") == "Install from the lock file")
    assert install["run"] == "bash scripts/setup.sh"
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert "-r requirements.lock" in setup


def test_preview_workflow_commands_are_accepted_by_the_report_cli():
    parser = build_parser()
    commands = [s["run"] for s in workflow_steps() if "run" in s and ".venv/bin/report" in s["run"]]
    assert [shlex.split(c)[1] for c in commands] == ["render", "diff"]
    for command in commands:
        argv = shlex.split(command.replace("$BASE_SHA", "0123abcd"))[1:]
        args = parser.parse_args(argv)
        assert callable(args.func)
    diff_args = parser.parse_args(shlex.split(commands[1].replace("$BASE_SHA", "0123abcd"))[1:])
    assert (diff_args.old, diff_args.new, diff_args.output) == ("0123abcd", "_book", "_diff")


def test_preview_workflow_uploads_book_and_redline_and_comments_the_summary():
    steps = workflow_steps()
    uploads = [s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads == ["_book", "_diff"]
    comment = next(s for s in steps if s.get("uses", "").startswith("actions/github-script@"))
    assert f"_diff/{SUMMARY_MARKDOWN}" in comment["with"]["script"]
    assert "createComment" in comment["with"]["script"] and "updateComment" in comment["with"]["script"]
