"""The doccano comparison's table, printed and written into bench/RESULTS.md between its own
markers (as bench/report.py does for bench/run.py's figures): a run replaces only its section."""

from __future__ import annotations

import os
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "RESULTS.md"
BEGIN, END = "<!-- doccano: begin -->", "<!-- doccano: end -->"

MEASURES = {
    "read": "read every annotation of the document",
    "page": "open the annotation page",
    "create": "create one annotation through the API (median of rounds of 100)",
    "export": "export the project (in-process: our endpoint's request cycle; doccano's task body)",
    "export_http": "export: ours over HTTP through gunicorn; doccano's task body in-process",
}

NOT_COMPARABLE = """\
What is not the same work, beside each ratio above:
- **Payloads.** A claim carries its statement, kind, quote, context, placement, citations
  (with their sources) and a summary of the reviewers' notes; a doccano span carries a label
  id and two offsets. Reading and exporting therefore move several times more bytes on our
  side (the bytes columns). A create on our side also checks the quote against the text,
  stores the span's context and keeps the claim's history; doccano's stores three numbers.
- **Reading.** doccano answers every span in one unpaginated response; our API is
  cursor-paginated, walked at the largest page it allows (`CLAIMDESK_API_MAX_PAGE_SIZE`,
  read from the settings, not written here).
- **The page.** doccano's page is a single-page app: its 11 requests are its index HTML and
  ten API calls, and the browser then draws the spans (time not measured here). Ours is
  server-rendered: the workspace HTML, plus whatever it requests on load (observed in
  Chromium). Static files are left out on both sides; the requests are made one after
  another, where a browser makes some of doccano's in parallel.
- **Export.** doccano's export is a celery task that writes a zip file; over HTTP a client
  would also wait for the queue and download it. Timed here: the task's body in a process of
  its own, against our export endpoint through Django's request cycle in a process of its own
  (and, in the last row, ours over HTTP, which only adds to our side). The formats differ:
  doccano's JSONL is one line per example (text and spans), ours one line per claim.
- **Users.** Each side reads and writes as an ordinary member (doccano: annotator; ours:
  reviewer), not a superuser. Our API's throttles are raised for the run (doccano has none).
"""


def fmt_ms(ms: float) -> str:
    return f"{ms:,.0f} ms" if ms >= 100 else f"{ms:.1f} ms"


def rate(ms: float) -> str:
    return f"{fmt_ms(ms)} ({1000 / ms:,.0f}/s)"


def fmt_size(measure: str, size: int) -> str:
    if measure == "read":
        return f"{size:,} rows"
    if measure == "create":
        return f"{size:,} creates"
    return f"{size / 1024:,.0f} KiB" if size < 2**20 else f"{size / 2**20:,.1f} MiB"


def table(rows: list[dict]) -> list[str]:
    lines = [
        "| measure | annotations | database | doccano | Claimdesk | Claimdesk / doccano "
        "| what each returned (doccano; Claimdesk) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    order = list(MEASURES)
    for row in sorted(rows, key=lambda r: (order.index(r["measure"]), r["annotations"])):
        measure = row["measure"]
        ours, doccano = row["ours_ms"], row["doccano_ms"]
        if measure == "create":
            figures = f"{rate(doccano)} | {rate(ours)}"
        else:
            figures = f"{fmt_ms(doccano)} | {fmt_ms(ours)}"
        sizes = f"{fmt_size(measure, row['doccano_size'])}; {fmt_size(measure, row['ours_size'])}"
        lines.append(
            f"| {MEASURES[measure]} | {row['annotations']:,} | {row['db']} | {figures} "
            f"| {ours / doccano:.2f}x | {sizes} |"
        )
    pages = {tuple(r["ours_requests"]) for r in rows if r["measure"] == "page"}
    lines += ["", "Requests timed for opening the page:"]
    lines.append(
        "- doccano (11, from its frontend at v1.8.4): the index page, `/v1/me`, the project "
        "(twice), `my-role`, `span-types`, `relation-types`, `metrics/progress`, "
        "`examples?limit=1`, the spans, the relations."
    )
    for requests in sorted(pages):
        listed = ", ".join(f"`{path}`" for path in requests)
        lines.append(f"- Claimdesk ({len(requests)}, observed in Chromium on load): {listed}.")
    return [*lines, "", NOT_COMPARABLE.rstrip()]


def write_results(lines: list[str], argv: str) -> None:
    command = f"DOCCANO_PYTHON=… .venv/bin/python bench/peers/doccano.py {argv}".rstrip()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    section = "\n".join(
        [
            BEGIN,
            "## Side by side with doccano 1.8.4",
            "",
            f"`{command}` on {stamp}, {os.cpu_count()} cores, both apps under gunicorn with 2 "
            "workers on loopback, DEBUG off; medians of interleaved rounds. The machine is "
            "shared, so absolute times are noisy; the ratios come from the same rounds. "
            "A ratio below 1 means Claimdesk took less time.",
            "",
            *lines,
            END,
        ]
    )
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if BEGIN in text and END in text:
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)
    print(f"wrote the doccano section of {RESULTS}")
