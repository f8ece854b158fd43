"""doccano's side of the comparison, run under doccano's own interpreter (DOCCANO_PYTHON) with
its environment (DOCCANO_HOME, DATABASE_URL, DJANGO_SETTINGS_MODULE, PYTHONPATH holding its
backend folder: bench/peers/servers.py sets them). Nothing here imports Claimdesk.

    load FILE.json     migrate (first time), then make the project hold exactly the spans
                       FILE.json lists (bench/peers/claimdesk_side.py wrote it): a sequence
                       labelling project, one span type per claim kind, one example whose text
                       is the paragraphs joined by a blank line, the spans not loaded yet added
                       with bulk_create. Prints the ids the measurements need, as JSON.
    export PROJECT     read lines from stdin; for each, run the JSONL export task's body
                       in this process (it writes a zip under MEDIA_ROOT, removed after)
                       and print {"ms", "bytes"} (unzipped): the export's own time,
                       without celery's queue between the request and the work.
"""

from __future__ import annotations

import json
import sys
import time
import zipfile
from pathlib import Path

USERNAME, PASSWORD = "annotator", "peer-bench-pass-1"
PROJECT = "Seed report (Claimdesk peer bench)"
SEPARATOR = "\n\n"


def setup() -> None:
    import django

    django.setup()


def paragraph_offsets(paragraphs: list[dict]) -> list[int]:
    """Where each paragraph starts in the joined text (code points, as both apps count)."""
    offsets, at = [], 0
    for paragraph in paragraphs:
        offsets.append(at)
        at += len(paragraph["text"]) + len(SEPARATOR)
    return offsets


def annotator():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from roles.models import Role

    if not Role.objects.exists():
        call_command("create_roles")
    user, created = get_user_model().objects.get_or_create(username=USERNAME)
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user, Role.objects.get(name=settings.ROLE_ANNOTATOR)


def project_for(data: dict, user, role):
    from examples.models import Example
    from label_types.models import SpanType
    from projects.models import Member, ProjectType, SequenceLabelingProject

    project = SequenceLabelingProject.objects.filter(name=PROJECT).first()
    if project is None:
        project = SequenceLabelingProject.objects.create(
            name=PROJECT,
            description="The seed report with Claimdesk's generated spans",
            project_type=ProjectType.SEQUENCE_LABELING,
            allow_overlapping=True,
            created_by=user,
        )
        Member.objects.create(project=project, user=user, role=role)
        SpanType.objects.bulk_create(
            [SpanType(project=project, text=kind) for kind in data["kinds"]]
        )
        text = SEPARATOR.join(p["text"] for p in data["paragraphs"])
        Example.objects.create(project=project, text=text)
    return project, Example.objects.get(project=project)


def load(path: str) -> dict:
    from django.core.management import call_command
    from label_types.models import SpanType
    from labels.models import Span

    data = json.loads(Path(path).read_text())
    call_command("migrate", verbosity=0)
    user, role = annotator()
    project, example = project_for(data, user, role)
    labels = dict(SpanType.objects.filter(project=project).values_list("text", "id"))
    have = Span.objects.filter(example=example).count()
    starts = paragraph_offsets(data["paragraphs"])
    text = example.text
    new = []
    for position, start, end, kind in data["spans"][have:]:
        paragraph = data["paragraphs"][position]["text"]
        begin = starts[position] + start
        assert text[begin : starts[position] + end] == paragraph[start:end]
        new.append(
            Span(
                example=example,
                label_id=labels[kind],
                start_offset=begin,
                end_offset=starts[position] + end,
                user=user,
            )
        )
    Span.objects.bulk_create(new, batch_size=2000)
    return {
        "project": project.id,
        "example": example.id,
        "labels": labels,
        "spans": Span.objects.filter(example=example).count(),
        "username": USERNAME,
        "password": PASSWORD,
    }


def export(project: int) -> None:
    from data_export.celery_tasks import export_dataset

    for _ in sys.stdin:
        started = time.perf_counter()
        path = export_dataset(project, "JSONL", False)
        ms = (time.perf_counter() - started) * 1000
        with zipfile.ZipFile(path) as archive:  # the bytes written, as ours are counted
            size = sum(member.file_size for member in archive.infolist())
        Path(path).unlink()
        print(json.dumps({"ms": ms, "bytes": size}), flush=True)


def main() -> int:
    setup()
    command, argument = sys.argv[1], sys.argv[2]
    if command == "load":
        print(json.dumps(load(argument)))
    elif command == "export":
        export(int(argument))
    else:
        raise SystemExit(f"unknown command {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
