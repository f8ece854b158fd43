"""Backup: a damaged, foreign or mismatched file, or an occupied database, is refused with
the reason, and nothing is written."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotate.backup.export import BackupError, workspace_export
from annotate.backup.load import workspace_flush, workspace_import
from annotate.tests.test_backup import every_row, held, rich_workspace


@pytest.fixture
def exported(seed_article, reviewer, other_reviewer, lead, researcher, tmp_path) -> Path:
    """A rich workspace's backup, the database emptied."""
    rich_workspace(seed_article, reviewer, other_reviewer, lead, researcher)
    path = tmp_path / "w.jsonl"
    workspace_export(path)
    workspace_flush()
    return path


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _rewrite(path: Path, lines: list[str]) -> None:
    path.write_text("".join(lines), encoding="utf-8")


def _alter_a_value(lines: list[str]) -> list[str]:
    row = next(i for i, line in enumerate(lines) if '"model": "annotate.claim"' in line)
    altered = lines[row].replace('"kind": "factual"', '"kind": "opinion"', 1)
    assert altered != lines[row]
    return [*lines[:row], altered, *lines[row + 1 :]]


DAMAGE = {
    "its last lines missing": lambda lines: lines[: len(lines) // 2],
    "cut inside a line": lambda lines: [*lines[:-3], lines[-3][:40]],
    "a line that is not JSON": lambda lines: [*lines[:5], "{oops\n", *lines[5:]],
    "a row's value altered": _alter_a_value,
    "a row of a model it does not back up": lambda lines: [
        *lines[:5],
        '{"model": "authtoken.token", "pk": "k", "fields": {"user": 1}}\n',
        *lines[5:],
    ],
    "data after the end line": lambda lines: [*lines, lines[3]],
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_file_is_refused_and_writes_nothing(exported: Path, damage: str):
    _rewrite(exported, DAMAGE[damage](_lines(exported)))

    with pytest.raises(BackupError):
        workspace_import(exported)
    assert set(held().values()) == {0}


def test_a_truncated_gzip_file_is_refused_and_writes_nothing(exported: Path):
    packed = exported.with_name("w.jsonl.gz")
    data = gzip.compress(exported.read_bytes())
    packed.write_bytes(data[: len(data) * 2 // 3])

    with pytest.raises(BackupError, match="cannot read the file"):
        workspace_import(packed)
    assert set(held().values()) == {0}


def test_the_end_line_must_be_there(exported: Path):
    _rewrite(exported, _lines(exported)[:-1])

    with pytest.raises(BackupError, match="without its end line: truncated"):
        workspace_import(exported)


def test_an_altered_row_fails_the_checksum(exported: Path):
    _rewrite(exported, _alter_a_value(_lines(exported)))

    with pytest.raises(BackupError, match="checksum: the file was altered"):
        workspace_import(exported)


def _with_header(path: Path, **changes) -> None:
    lines = _lines(path)
    lines[0] = json.dumps({**json.loads(lines[0]), **changes}) + "\n"
    _rewrite(path, lines)


def test_another_format_version_is_refused(exported: Path):
    _with_header(exported, version=3)

    with pytest.raises(BackupError, match="format version 3; this Claimdesk reads version 2"):
        workspace_import(exported)
    assert set(held().values()) == {0}


def test_a_file_from_before_shared_sources_is_refused_saying_how_to_convert_it(exported: Path):
    _with_header(exported, version=1)

    with pytest.raises(BackupError) as refused:
        workspace_import(exported)
    assert "before sources became shared records" in str(refused.value)
    assert "run `migrate` with this one" in str(refused.value)
    assert set(held().values()) == {0}


def test_another_migration_state_is_refused_naming_the_difference(exported: Path):
    migrations = json.loads(_lines(exported)[0])["migrations"]
    _with_header(exported, migrations=[*migrations[:-1], "annotate.0099_future"])

    with pytest.raises(BackupError) as refused:
        workspace_import(exported)
    assert str(refused.value) == (
        "The file was exported at another migration state than this database's: only in the "
        f"file ['annotate.0099_future'], only in the database [{migrations[-1]!r}]. "
        "Migrate both to the same code first."
    )


def test_a_file_that_is_no_backup_is_refused(tmp_path: Path, db):
    path = tmp_path / "report.txt"
    path.write_text("Doha, 9 September\n", encoding="utf-8")

    with pytest.raises(BackupError, match="not a Claimdesk workspace backup"):
        workspace_import(path)


def test_a_database_holding_a_workspace_is_refused_unless_replaced(exported: Path):
    workspace_import(exported)
    before = every_row()

    with pytest.raises(BackupError, match=r"already holds workspace data \(1 articles.article"):
        workspace_import(exported)
    assert every_row() == before


def test_replace_with_a_damaged_file_keeps_the_workspace(exported: Path):
    workspace_import(exported)
    before = every_row()
    _rewrite(exported, _lines(exported)[:-1])

    with pytest.raises(BackupError):
        workspace_import(exported, replace=True)
    assert every_row() == before


def test_the_import_command_names_the_file_and_the_reason(exported: Path):
    _with_header(exported, version=0)

    with pytest.raises(CommandError) as refused:
        call_command("import_workspace", str(exported))
    assert str(refused.value) == (
        f"{exported}: The file is in backup format version 0; this Claimdesk reads version 2 "
        "only. Nothing was imported."
    )
