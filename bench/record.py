"""Record: the dialogue record ZIP downloaded over HTTP by the group's coordinator through the
real view (dialogues:record-download) from one daphne process, for a record of about 20 MB and
one of about 200 MB (proposal attachments of 10 MB each, random bytes that compression cannot
shrink, in a media directory of the scenario's own): the time to the last byte, and how far the
serving process's resident memory rose above what it held before the export (its peak, Linux
VmHWM, reset through /proc/<pid>/clear_refs before each export). The figure that matters is
that the peak does not grow with the record's size.

Also measured, for comparison:
- a client that reads at a limited rate, and both kinds of client against the same platform
  without config/daphne_flow.py (daphne on its own writes what it is given without waiting
  for the client, so what the client has not read yet waits in the server's memory);
- in the driver process with tracemalloc: dialogues.record.record_zip_file next to the way the
  record was built before (the whole ZIP in a BytesIO, each attachment read whole).

    python -m bench.record        (BENCH_QUICK=1: 1 MB files, so about 2 MB and 20 MB)
"""

import io
import os
import shutil
import statistics
import tempfile
import threading
import time
import tracemalloc
import urllib.request
import zipfile
from pathlib import Path

from bench import common

FILE_MB = 1 if common.QUICK else 10
SIZES = {"small": 2, "large": 20}  # attachments of FILE_MB each
REPEATS = 1 if common.QUICK else 3
SLOW_CLIENT_MB_PER_S = 20
MIB = 1024 * 1024


def peak_reset(pid: int) -> bool:
    """Resets the process's peak resident memory to its current value (Linux 4.0 and later)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    """The highest VmRSS seen every 5 ms: a check on VmHWM, and the figure where it cannot be reset."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.highest, self.done = pid, 0, threading.Event()

    def run(self):
        while not self.done.is_set():
            self.highest = max(self.highest, status_kib(self.pid, "VmRSS"))
            time.sleep(0.005)

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.highest


def download(url: str, cookie: str, target, *, rate: float | None = None) -> tuple[int, float, float]:
    """(bytes, seconds to the first byte, seconds to the last) of one download into `target`,
    read 256 KiB at a time, at most `rate` bytes per second from the first byte when given."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    start = time.monotonic()
    received, first_byte = 0, None
    with urllib.request.urlopen(request, timeout=600) as response:
        assert response.status == 200, response.status
        while chunk := response.read(256 * 1024):
            if first_byte is None:
                first_byte = time.monotonic() - start
            target.write(chunk)
            received += len(chunk)
            if rate:
                ahead = received / rate - (time.monotonic() - start - first_byte)
                if ahead > 0:
                    time.sleep(ahead)
    return received, first_byte or 0.0, time.monotonic() - start


def seed_record(seed, group, need, coordinator, media: Path, files: int, title: str):
    """A dialogue with two suppliers whose proposals carry `files` attachments of FILE_MB
    together, written straight to the media directory; the coordinator declared no conflict
    of interest, so the export includes them."""
    from dialogues.models import ConflictDeclaration, Submission, SubmissionAttachment, SubmissionVersion

    dialogue = seed.dialogue(group, need, coordinator, title=title)
    suppliers = seed.add_participants(dialogue, 2)
    ConflictDeclaration.objects.create(dialogue=dialogue, user=coordinator, has_conflict=False)
    for index, person in enumerate(suppliers):
        organisation = person.affiliations.get().organisation
        submission = Submission.objects.create(dialogue=dialogue, organisation=organisation)
        version = SubmissionVersion.objects.create(
            submission=submission, number=1, text="Vårt förslag, se bilagorna.", submitted_by=person
        )
        Submission.objects.filter(pk=submission.pk).update(latest_version=version)
        for number in range(index, files, len(suppliers)):
            name = f"dialogues/{dialogue.pk}/submissions/{submission.pk}/bilaga-{number:02d}"
            path = media / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as file:
                for _ in range(FILE_MB):
                    file.write(os.urandom(MIB))
            SubmissionAttachment.objects.create(
                version=version,
                file=name,
                original_name=f"bilaga-{number:02d}.pdf",
                content_type="application/pdf",
                size=FILE_MB * MIB,
            )
    return dialogue


def zip_before(record: dict, attachments) -> bytes:
    """How dialogues.record built the ZIP before: in memory, each attachment read whole."""
    import json

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", json.dumps(record, ensure_ascii=False, indent=2))
        for path, attachment in attachments:
            with attachment.file.open("rb") as handle:
                archive.writestr(path, handle.read())
    return buffer.getvalue()


def traced(build) -> tuple[float, float]:
    """(peak MiB allocated by Python while `build` ran, seconds)."""
    tracemalloc.start()
    start = time.monotonic()
    result = build()
    seconds = time.monotonic() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return peak / MIB, seconds


def main() -> None:
    media = Path(tempfile.mkdtemp(prefix="bench-record-media-"))
    os.environ["DJANGO_MEDIA_ROOT"] = str(media)
    try:
        run(media)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def run(media: Path) -> None:
    common.setup("record")
    from bench import seed
    from bench.report import write
    from dialogues.record import attachments_for_export, build_record, record_zip_file

    authority = seed.organisations(1, name="Växjö kommun")[0]
    coordinator = seed.person(authority)
    group = seed.group(coordinator, authority)
    need = seed.need(group, coordinator)
    dialogues = {
        size: seed_record(seed, group, need, coordinator, media, files, f"Dialog med {files * FILE_MB} MB bilagor")
        for size, files in SIZES.items()
    }
    warmup = seed_record(seed, group, need, coordinator, media, 1, "Uppvärmning")
    seed.analyze()
    cookie = seed.sign_in([coordinator])[coordinator.pk]

    def export(platform, dialogue, *, rate=None) -> dict:
        pid = platform.servers[0].pid
        resettable = peak_reset(pid)
        before = status_kib(pid, "VmRSS")
        sampler = RssSampler(pid)
        sampler.start()
        with tempfile.TemporaryFile() as file:
            received, first_byte, seconds = download(
                f"{platform.url}/dialogues/{dialogue.pk}/record/download/", cookie, file, rate=rate
            )
            sampled = sampler.stop()
            peak = status_kib(pid, "VmHWM") if resettable else sampled
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                attachments = [i for i in archive.infolist() if i.filename.startswith("proposals/")]
        return {
            "zip_mib": round(received / MIB, 1),
            "attachments": len(attachments),
            "attachments_mib": round(sum(i.file_size for i in attachments) / MIB, 1),
            "first_byte_seconds": round(first_byte, 2),
            "seconds": round(seconds, 2),
            "rss_before_mib": round(before / 1024, 1),
            "peak_growth_mib": round((peak - before) / 1024, 1),
            "sampled_peak_growth_mib": round((sampled - before) / 1024, 1),
            "peak_from": "VmHWM" if resettable else "VmRSS sampled every 5 ms",
        }

    slow_client = f"{SLOW_CLIENT_MB_PER_S} MB/s"
    servers = {
        "daphne": "config.asgi:application",
        "daphne without config/daphne_flow.py (baseline)": "bench.asgi_without_flow_control:application",
    }
    results = []
    for server, application in servers.items():
        with common.Platform(workers=1, celery=False, server="daphne", application=application) as platform:
            export(platform, warmup)  # templates, the first queries and imports, not measured
            sizes = dialogues if server == "daphne" else {"large": dialogues["large"]}
            for size, dialogue in sizes.items():
                runs = [export(platform, dialogue) for _ in range(REPEATS)]
                print(server, size, runs, flush=True)
                results.append({"size": size, "server": server, "client": "as fast as it reads", "runs": runs})
            slow = export(platform, dialogues["large"], rate=SLOW_CLIENT_MB_PER_S * MIB)
            print(server, "slow", slow, flush=True)
            results.append({"size": "large", "server": server, "client": slow_client, "runs": [slow]})

    # In the driver: the builder itself, now and as it was, on the same two records.
    in_process = []
    for size, dialogue in dialogues.items():
        record = build_record(dialogue, public=False, with_submission_content=True, user=coordinator)
        attachments = attachments_for_export(dialogue)

        def now(record=record, attachments=attachments):
            with record_zip_file(record, attachments=attachments) as file:
                return file.seek(0, io.SEEK_END)

        def before(record=record, attachments=attachments):
            return len(zip_before(record, attachments))

        for label, build in (("record_zip_file (temporary file)", now), ("before (in memory)", before)):
            peak, seconds = traced(build)
            figures = {"size": size, "builder": label, "peak_mib": round(peak, 1), "seconds": round(seconds, 2)}
            print(figures, flush=True)
            in_process.append(figures)

    table = []
    for row in results:
        runs = row["runs"]
        first = runs[0]
        growth = max(r["peak_growth_mib"] for r in runs)
        sampled = max(r["sampled_peak_growth_mib"] for r in runs)
        table.append(
            (
                f"{first['attachments']} × {FILE_MB} MB ({first['zip_mib']} MiB ZIP)",
                f"HTTP, {row['server']}, client {row['client']}",
                f"{statistics.median(r['seconds'] for r in runs):.2f} s "
                f"(first byte {statistics.median(r['first_byte_seconds'] for r in runs):.2f} s)",
                f"{growth} MiB (sampled {sampled})",
                f"{first['rss_before_mib']} MiB",
            )
        )
    for row in in_process:
        files = SIZES[row["size"]]
        table.append(
            (
                f"{files} × {FILE_MB} MB",
                f"in process: {row['builder']}",
                f"{row['seconds']:.2f} s",
                f"{row['peak_mib']} MiB (tracemalloc)",
                "-",
            )
        )
    write(
        "record",
        figures={
            "file_mb": FILE_MB,
            "attachments": SIZES,
            "repeats": REPEATS,
            "slow_client_mb_per_s": SLOW_CLIENT_MB_PER_S,
            "http": results,
            "in_process": in_process,
        },
        headers=("record", "how", "time (median)", "peak memory growth (max)", "server RSS before"),
        table=table,
        notes=(
            f"The coordinator downloads the record ZIP through dialogues:record-download from one daphne process "
            f"(bench.settings, PostgreSQL), {REPEATS} time(s) per size after one unmeasured export; the client "
            "reads into a temporary file. Peak memory growth: the daphne process's VmHWM (reset through "
            "/proc/<pid>/clear_refs before each export) minus its VmRSS before; in brackets the highest VmRSS "
            "sampled every 5 ms. Attachments are random bytes, so compression cannot shrink them. In process: "
            "tracemalloc's peak while the builder runs in the driver, the current record_zip_file against the "
            "way the ZIP was built before (a BytesIO, each attachment read whole). The baseline server is the "
            "same platform with daphne's own Server.handle_reply put back (bench/asgi_without_flow_control.py): "
            "it hands the client the file as fast as it reads it, and what the client has not taken yet waits "
            f"in the server's memory. The {SLOW_CLIENT_MB_PER_S} MB/s client is limited from its first byte; the "
            "first byte comes once the ZIP is built."
        ),
    )


if __name__ == "__main__":
    main()
