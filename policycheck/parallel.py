"""Building the units' models in parallel worker processes, through the parse cache.

Units are independent, so each is built (or read back from the cache) and then
assessed (reachability analysis and rules, the ``then`` step the scan passes) by one of
``jobs`` worker processes; results come back in the units' order, whatever order the
workers finish in, so the output never depends on ``--jobs``. Each worker runs one
unit at a time: a unit that outlives its time budget (``limits.unit_seconds``, enforced
inside the worker by ``SIGALRM``) and then does not answer either is killed with its
process, and a worker that dies (a crash in a C extension, the out-of-memory killer)
costs that unit only; a fresh worker takes the next unit.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from policycheck.cache import UnitCache, recording
from policycheck.diagnostics import Diagnostic, DiagnosticLevel
from policycheck.discover import Unit
from policycheck.frontends.interface import CloudFormationInputs, FrontendResult, TerraformInputs
from policycheck.limits import MIB, Limits, UnitTimeout, configure, deadline
from policycheck.model import Model

if TYPE_CHECKING:
    from policycheck.config import Config
    from policycheck.scan import ScanOptions

Loader = Callable[[Unit], FrontendResult]
T = TypeVar("T")


def default_jobs() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class UnitBuilder:
    """Builds one unit's model: from the cache when its inputs are unchanged, else with
    the front-end (within the time budget), then stores it. Picklable, so that spawned
    workers receive it."""

    load: Loader
    root: Path
    inputs: dict[str, Any]
    """The non-file inputs of every unit (variables, parameters, limits): cache key."""
    limits: Limits
    cache_dir: Path | None = None

    def __call__(self, unit: Unit) -> FrontendResult:
        cache = UnitCache(self.cache_dir) if self.cache_dir is not None else None
        key = cache.key({"unit": [unit.kind.value, str(unit.path)],
                         "root": str(self.root), **self.inputs}) if cache else ""
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                return hit
        try:
            with deadline(self.limits.unit_seconds), recording() as reads:
                result = self.load(unit)
        except UnitTimeout as exc:
            return failed(unit, self.root, f"not assessed: {exc}")
        except Exception as exc:  # a bug must not hide the other units' findings
            return failed(unit, self.root, "internal error while assessing this unit: "
                                           f"{type(exc).__name__}: {exc}")
        if cache is not None:
            cache.put(key, result, reads)
        return result


def failed(unit: Unit, root: Path, message: str) -> FrontendResult:
    """The result of a unit that could not be built: an empty model and one error."""
    try:
        file = unit.path.resolve().relative_to(root).as_posix() or "."
    except (ValueError, RuntimeError):
        file = unit.path.as_posix()
    return FrontendResult(model=Model(unit=file), diagnostics=[
        Diagnostic(level=DiagnosticLevel.ERROR, file=file, message=message)])


def _built(unit: Unit, result: FrontendResult) -> FrontendResult:
    return result


def build_units(units: Sequence[Unit], builder: UnitBuilder, jobs: int) -> list[FrontendResult]:
    """Every unit's result, in the order of ``units``."""
    return assess_units(units, builder, jobs, _built)


@dataclass(frozen=True)
class _Task(Generic[T]):
    """Build one unit, then run ``then`` on it (in the worker). Picklable for spawn."""

    builder: UnitBuilder
    then: Callable[[Unit, FrontendResult], T]

    def __call__(self, unit: Unit) -> T:
        return self.then(unit, self.builder(unit))

    def failed(self, unit: Unit, message: str) -> T:
        """The outcome of a unit whose worker died or overran (run in the scanner)."""
        return self.then(unit, failed(unit, self.builder.root, message))


def assess_units(units: Sequence[Unit], builder: UnitBuilder, jobs: int,
                 then: Callable[[Unit, FrontendResult], T]) -> list[T]:
    """``then(unit, model)`` of every unit, in the order of ``units``: building and
    ``then`` both run in the workers, so every core serves the whole per-unit work."""
    configure(builder.limits)
    task = _Task(builder, then)
    if jobs <= 1 or len(units) <= 1:
        return [task(unit) for unit in units]
    return _Pool(task, min(jobs, len(units))).run(units)


def _serve(conn: Connection, task: _Task[Any]) -> None:
    """A worker: build and assess the units it is sent, one at a time, until told to stop."""
    configure(task.builder.limits)
    while True:
        message = conn.recv()
        if message is None:
            return
        index, unit = message
        conn.send((index, task(unit)))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    task: tuple[int, Unit] | None = None
    started: float = 0.0


class _Pool(Generic[T]):
    def __init__(self, task: _Task[T], size: int) -> None:
        # fork: the workers start with everything imported; elsewhere fork is unsafe.
        self._context = (multiprocessing.get_context("fork") if sys.platform == "linux"
                         else multiprocessing.get_context("spawn"))
        self._task = task
        self._size = size
        budget = task.builder.limits.unit_seconds
        # The worker stops itself at ``budget`` while building and again while assessing;
        # this is for code deaf to signals.
        self._kill_after = budget * 2.5 + 5 if budget > 0 else None

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self._task),
                                        daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, units: Sequence[Unit]) -> list[T]:
        results: dict[int, T] = {}
        queue = list(enumerate(units))[::-1]
        workers = [self._start() for _ in range(self._size)]
        try:
            while len(results) < len(units):
                for worker in workers:
                    if worker.task is None and queue:
                        worker.task, worker.started = queue.pop(), time.monotonic()
                        worker.conn.send(worker.task)
                busy = [w for w in workers if w.task is not None]
                ready = wait([w.conn for w in busy], timeout=self._wait_time(busy))
                for index, worker in enumerate(workers):
                    if worker.task is None:
                        continue
                    outcome = self._collect(worker, ready)
                    if outcome is None:
                        continue
                    results[worker.task[0]] = outcome
                    if not worker.process.is_alive():
                        worker.conn.close()
                        workers[index] = self._start()
                    else:
                        worker.task = None
        finally:
            for worker in workers:
                self._stop(worker)
        return [results[i] for i in range(len(units))]

    def _wait_time(self, busy: list[_Worker]) -> float | None:
        if self._kill_after is None or not busy:
            return None
        first = min(w.started for w in busy)
        return max(0.0, first + self._kill_after - time.monotonic())

    def _collect(self, worker: _Worker, ready: list[Any]) -> T | None:
        """The worker's result when it has one, an error when it died or overran."""
        assert worker.task is not None
        unit = worker.task[1]
        if worker.conn in ready:
            try:
                _, result = worker.conn.recv()
                return result  # type: ignore[no-any-return]
            except (EOFError, OSError):
                worker.process.join(1)
                code = worker.process.exitcode
                return self._task.failed(
                    unit, f"not assessed: the worker process died (exit code {code})")
        overran = (self._kill_after is not None
                   and time.monotonic() - worker.started > self._kill_after)
        if overran:
            worker.process.kill()
            worker.process.join()
            return self._task.failed(
                unit, f"not assessed: still running after {self._kill_after:g} s; "
                      "the worker process was stopped (the unit_timeout limit)")
        return None

    @staticmethod
    def _stop(worker: _Worker) -> None:
        try:
            if worker.process.is_alive() and worker.task is None:
                worker.conn.send(None)
                worker.process.join(2)
        except OSError:
            pass
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


def cache_inputs(terraform: TerraformInputs, cloudformation: CloudFormationInputs,
                 limits: Limits) -> dict[str, Any]:
    """What, besides the files a front-end reads, decides a unit's model."""
    return {
        "terraform": {"var_files": [str(p.resolve()) for p in terraform.var_files],
                      "vars": list(terraform.vars),
                      "environ": sorted((k, v) for k, v in terraform.environ.items()
                                        if k.startswith("TF_"))},
        "cloudformation": {"parameters": list(cloudformation.parameters),
                           "region": cloudformation.region,
                           "parameter_files": [str(p.resolve())
                                               for p in cloudformation.parameter_files]},
        "limits": [limits.max_file_bytes, limits.max_depth],
    }


def speed_options(options: ScanOptions, config: Config | None, *, jobs: int | None,
                  cache: bool, unit_timeout: float | None,
                  max_file_size_mb: float | None) -> ScanOptions:
    """The command line's jobs, cache and limits over the configuration's, over the
    defaults (the core count; the user cache folder; ``Limits()``)."""
    from policycheck.cache import default_cache_dir

    file_limits = config.limits if config is not None else None
    size_mb = max_file_size_mb or (file_limits.max_file_size_mb if file_limits else None)
    timeout = unit_timeout if unit_timeout is not None else (
        file_limits.unit_timeout if file_limits else None)
    depth = file_limits.max_depth if file_limits else None
    base = Limits()
    limits = Limits(
        max_file_bytes=int(size_mb * MIB) if size_mb else base.max_file_bytes,
        max_depth=depth or base.max_depth,
        unit_seconds=timeout if timeout is not None else base.unit_seconds)
    use_cache = cache and (config.cache if config is not None else True)
    return replace(options, limits=limits,
                   jobs=jobs or (config.jobs if config and config.jobs else default_jobs()),
                   cache_dir=default_cache_dir() if use_cache else None)
