# SPDX-License-Identifier: GPL-2.0-only
"""Fan a netgym sweep out over Ray (or local processes) and gather the same
results files the Go runner writes.

netgym's sweep binary (``go build -o bin/sweep ./scenarios/sweep``) plans a
sweep from a YAML spec (``sweep plan``: one JSON line per job) and runs any
subset of its jobs (``sweep run -jobs 3,5,9-12 -out -``: one JSON line per
finished run on standard output). This module plans once on the driver,
drops the jobs the output directory already holds (resume), cuts the rest
into batches (light points go many to a task), runs each batch as one Ray
task (or one local process), appends every returned row to
``OUT/results.jsonl`` as batches finish, and ends with ``sweep merge``, which
rewrites ``OUT/results.jsonl`` and ``OUT/results.csv`` in job order: the
files ``sweep run -out OUT`` would have written, usable by ``sweep summary``
and ``sweep plot``.

On a cluster (``ray start --head`` on one machine, ``ray start
--address=HEAD:6379`` on the others, then ``ray.init(address="auto")`` in
the driver) nothing needs to be installed on the workers but Ray: the
binary travels through Ray's object store once (``ship_binary=True``) and
is cached per machine under the temporary directory; the spec travels as
text. Only the driver writes files.

Example::

    import ray
    from netgym.sweep import run_sweep
    ray.init(num_cpus=2)
    report = run_sweep("bin/sweep", "docs/sweeps/wifi-distance.yaml", "results/dist")
    print(report)   # {'jobs': 400, 'skipped': 0, 'done': 400, 'failed': 0, ...}

Dependencies: the standard library; Ray for ``executor="ray"``.
"""

import concurrent.futures
import hashlib
import json
import math
import os
import subprocess
import tempfile
import time

__all__ = ["plan", "run_jobs", "run_sweep", "done_keys", "batches", "SweepError"]


class SweepError(RuntimeError):
    """A sweep binary failed; the message carries its standard error."""


def _spec_args(spec, spec_text):
    """Returns the -spec arguments and a temporary file to delete."""
    if spec_text is None:
        return ["-spec", os.fspath(spec)], None
    fd, path = tempfile.mkstemp(prefix="netgym-sweep-", suffix=".yaml")
    with os.fdopen(fd, "w") as f:
        f.write(spec_text)
    return ["-spec", path], path


def plan(binary, spec=None, args=(), spec_text=None):
    """Returns the sweep's jobs: dicts with job, point, seed, run, key and
    params, in job order. spec is a YAML file (or pass its text as
    spec_text); args are more ``sweep plan`` flags (e.g. ["-seeds", "5"])."""
    sargs, tmp = _spec_args(spec, spec_text)
    try:
        p = subprocess.run([os.fspath(binary), "plan", *sargs, *args], capture_output=True, text=True)
    finally:
        if tmp:
            os.unlink(tmp)
    if p.returncode != 0:
        raise SweepError("sweep plan failed (exit %d): %s" % (p.returncode, p.stderr.strip()))
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def run_jobs(binary, jobs, spec=None, args=(), spec_text=None, workers=1, partial=False):
    """Runs the given job indices through ``sweep run -jobs ... -out -`` and
    returns the result rows as JSON lines (strings). workers is the binary's
    -workers (simulations at once in that process). If some runs fail, it
    raises SweepError, or with partial=True returns (rows, error text)."""
    if not jobs:
        return ([], "") if partial else []
    sargs, tmp = _spec_args(spec, spec_text)
    cmd = [os.fspath(binary), "run", *sargs, *args, "-out", "-", "-quiet",
           "-workers", str(workers), "-jobs", _ranges(jobs)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    finally:
        if tmp:
            os.unlink(tmp)
    rows = [line for line in p.stdout.splitlines() if line.strip()]
    err = ""
    if p.returncode != 0:
        err = "sweep run failed (exit %d): %s" % (p.returncode, p.stderr.strip())
        if not partial:
            raise SweepError(err)
    return (rows, err) if partial else rows


def _ranges(jobs):
    """3,4,5,9 -> "3-5,9"."""
    jobs = sorted(set(int(j) for j in jobs))
    out, start, prev = [], jobs[0], jobs[0]
    for j in jobs[1:] + [None]:
        if j is not None and j == prev + 1:
            prev = j
            continue
        out.append(str(start) if start == prev else "%d-%d" % (start, prev))
        if j is not None:
            start = prev = j
    return ",".join(out)


def done_keys(out):
    """Keys of the runs the directory's results*.jsonl files hold (a torn
    last line is ignored, as the Go runner does)."""
    keys = set()
    if not os.path.isdir(out):
        return keys
    for name in sorted(os.listdir(out)):
        if not (name.startswith("results") and name.endswith(".jsonl")):
            continue
        with open(os.path.join(out, name)) as f:
            for line in f:
                if not line.endswith("\n"):
                    break  # torn by a kill
                if line.strip():
                    keys.add(json.loads(line)["key"])
    return keys


def batches(jobs, tasks):
    """Cuts job indices into at most `tasks` batches of consecutive jobs
    dealt round-robin (heavy and light points of a grid spread evenly)."""
    if not jobs:
        return []
    tasks = max(1, min(tasks, len(jobs)))
    return [jobs[i::tasks] for i in range(tasks)]


def _fetch_binary(data, digest):
    """Writes the shipped binary once per machine and returns its path."""
    path = os.path.join(tempfile.gettempdir(), "netgym-sweep-%s" % digest[:16])
    if not os.path.exists(path):
        tmp = path + ".%d" % os.getpid()
        with open(tmp, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o755)
        os.replace(tmp, path)
    return path


def _batch_task(binary, digest, data, jobs, spec_text, args):
    """One batch on one worker: returns (jobs, rows, error text)."""
    if data is not None:
        binary = _fetch_binary(data, digest)
    rows, err = run_jobs(binary, jobs, args=args, spec_text=spec_text, partial=True)
    return jobs, rows, err


def run_sweep(binary, spec, out, args=(), executor="ray", tasks=None, batch_size=None,
              ship_binary=True, sync_every=2.0, progress=None):
    """Runs the sweep of the YAML spec file into directory out and returns
    a report dict (jobs, skipped, done, failed, errors, seconds).

    executor is "ray" (one Ray task per batch, each using one CPU; call
    ray.init first) or "local" (one process per batch, as many at once as
    os.cpu_count()). The jobs out already holds are skipped. Batches: by
    default one job per task up to 32 jobs per CPU of the executor, else
    batches of about 64 jobs (at least four per CPU): light points share a
    task, heavy ones balance one at a time (default_tasks); set tasks (a
    number of batches) or batch_size (jobs per batch) to choose. Rows are appended to
    out/results.jsonl as batches finish (fsync at most every sync_every
    seconds), so an interrupted driver loses only unfinished batches; the
    closing ``sweep merge`` rewrites results.jsonl and results.csv in job
    order. progress, if set, is called with (finished jobs, total jobs)."""
    with open(spec) as f:
        spec_text = f.read()
    jobs = plan(binary, spec, args)
    have = done_keys(out)
    todo = [j["job"] for j in jobs if j["key"] not in have]
    report = {"jobs": len(jobs), "skipped": len(jobs) - len(todo), "done": 0, "failed": 0, "errors": []}
    os.makedirs(out, exist_ok=True)
    t0 = time.monotonic()
    if todo:
        if batch_size:
            ntasks = math.ceil(len(todo) / batch_size)
        elif tasks:
            ntasks = tasks
        else:
            ntasks = default_tasks(len(todo), _cpus(executor))
        parts = batches(todo, ntasks)
        path = os.path.join(out, "results.jsonl")
        with open(path, "a") as f:
            _gather(f, parts, binary, spec_text, list(args), executor, ship_binary, sync_every,
                    report, progress, len(todo))
    _merge(binary, out)
    report["seconds"] = time.monotonic() - t0
    return report


def default_tasks(jobs, cpus):
    """The default number of batches: one job per task while there are at
    most 32 jobs per CPU (heavy points balance best one at a time, and a
    task's start, a process of the binary, costs milliseconds), otherwise
    batches of about 64 jobs but at least four per CPU."""
    if jobs <= 32 * cpus:
        return jobs
    return max(4 * cpus, jobs // 64)


def _cpus(executor):
    if executor == "ray":
        import ray
        return max(1, int(ray.cluster_resources().get("CPU", 1)))
    return os.cpu_count() or 1


def _gather(f, parts, binary, spec_text, args, executor, ship_binary, sync_every, report, progress, total):
    last_sync = time.monotonic()
    finished = 0

    def take(jobs, rows, err):
        nonlocal last_sync, finished
        for line in rows:
            f.write(line + "\n")
        f.flush()
        if time.monotonic() - last_sync >= sync_every:
            os.fsync(f.fileno())
            last_sync = time.monotonic()
        report["done"] += len(rows)
        if err:
            report["failed"] += len(jobs) - len(rows)
            report["errors"].append(err)
        finished += len(jobs)
        if progress:
            progress(finished, total)

    def failed(jobs, err):
        nonlocal finished
        report["failed"] += len(jobs)
        report["errors"].append(str(err))
        finished += len(jobs)

    try:
        if executor == "ray":
            import ray
            data = digest = None
            if ship_binary:
                with open(binary, "rb") as b:
                    raw = b.read()
                digest = hashlib.sha256(raw).hexdigest()
                data = ray.put(raw)
            # Ship this module's functions by value: the workers need Ray
            # only, not netgym installed.
            import sys
            from ray import cloudpickle
            cloudpickle.register_pickle_by_value(sys.modules[__name__])
            remote = ray.remote(num_cpus=1)(_batch_task)
            pending = {remote.remote(os.fspath(binary), digest, data, part, spec_text, args): part for part in parts}
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                part = pending.pop(ready[0])
                try:
                    take(*ray.get(ready[0]))
                except Exception as e:  # a task or its binary failed
                    failed(part, e)
        elif executor == "local":
            with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                futs = {pool.submit(_batch_task, binary, None, None, part, spec_text, args): part for part in parts}
                for fut in concurrent.futures.as_completed(futs):
                    try:
                        take(*fut.result())
                    except Exception as e:
                        failed(futs[fut], e)
        else:
            raise ValueError("executor must be 'ray' or 'local', not %r" % (executor,))
    finally:
        f.flush()
        os.fsync(f.fileno())


def _merge(binary, out):
    """Rewrites out/results.jsonl and results.csv in job order."""
    if not done_keys(out):
        return
    p = subprocess.run([os.fspath(binary), "merge", "-o", os.fspath(out), os.fspath(out)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SweepError("sweep merge failed (exit %d): %s" % (p.returncode, p.stderr.strip()))
