"""Stopping a training midway, as a user does in JupyterLab: Kernel → Interrupt, then Kernel → Restart.

nbclient drives the "Go (centerloss, XLA CPU)" kernel cell by cell: the set-up cells of notebook 2, then a training
that saves a checkpoint every 5 steps and would run for minutes. The test stops it after some seconds of training
and checks that the cell's program is gone and that the next cell resumes from the checkpoint, trains and prints a
result with no error. GoNB passes an interrupt on to the cell's program as SIGINT (SIGKILL 5 s later if it is still
there), and on a restart's shutdown_request it interrupts the running cell the same way before it exits.

The stop comes right after a checkpoint line, seconds before the next save, so that the step the next cell resumes
from is known. (A stop inside a save is another matter: GoMLX writes a checkpoint's files in place, not to temporary
names renamed at the end, so a save cut short leaves an incomplete latest checkpoint.) The cells run, outputs and
all, are kept in out/notebooks/kernel_interrupt.ipynb for a look.
"""
import asyncio
import json
import math
import os
import re
import time

import nbformat
import psutil
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from nbtest import HERE, KERNEL, REPO, kernel_env, problems_in, setup_cells, stream_text

CELL_TIMEOUT_S = 600  # a cell's compile and XLA compile on a busy 2-core machine
TRAIN_BEFORE_STOP_S = 8  # seconds of training (after the first checkpoint) before the interrupt or the restart
STOPPED_WITHIN_S = 30  # GoNB sends SIGINT, then SIGKILL after 5 s: the cell must end well within this
CHECKPOINT_LINE = re.compile(r"checkpoint at step (\d+)")
RESUMED_LINE = re.compile(r"resumed at step (\d+), now at step (\d+), loss (\S+)")


def session_line(checkpoint_dir: str) -> str:
    # Small batches: quicker steps, so that checkpoints come often. The same settings in every cell.
    params = "map[string]any{training.BatchSize.Key: 32}"
    return f"session := notebook.Must(notebook.NewSession({params}, {json.dumps(checkpoint_dir)}))"


def training_cell(checkpoint_dir: str) -> str:
    return f"""%%
{session_line(checkpoint_dir)}
fmt.Printf("training from step %d\\n", session.GlobalStep())
for i := 0; i < 400; i++ {{ // 2000 steps: minutes of training, far more than the test lets it run
	notebook.Check(session.TrainSteps(5))
	notebook.Check(session.Save())
	fmt.Printf("checkpoint at step %d\\n", session.GlobalStep())
}}
"""


def resume_cell(checkpoint_dir: str) -> str:
    return f"""%%
{session_line(checkpoint_dir)}
start := session.GlobalStep()
notebook.Check(session.TrainSteps(3))
notebook.Check(session.Save())
fmt.Printf("resumed at step %d, now at step %d, loss %.4f\\n", start, session.GlobalStep(), session.LastLoss())
"""


class Driver:
    """One kernel, and the cells run in it so far (kept in a notebook, for the error report)."""

    def __init__(self):
        self.nb = nbformat.v4.new_notebook()
        self.client = NotebookClient(self.nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT_S, startup_timeout=120,
                                     resources={"metadata": {"path": HERE}})

    def add(self, source: str):
        self.nb.cells.append(nbformat.v4.new_code_cell(source))
        return self.nb.cells[-1], len(self.nb.cells) - 1

    async def run(self, source: str):
        """Runs a cell to its end; it must show no error."""
        cell, index = self.add(source)
        try:
            await self.client.async_execute_cell(cell, index)
        except Exception as err:  # a cell error: report it with the cell's outputs below
            pytest.fail(f"{type(err).__name__} in:\n{source}\n" + "\n".join(problems_of(cell)))
        problems = problems_of(cell)
        assert not problems, "\n".join(problems)
        return cell

    def kernel_processes(self) -> list[psutil.Process]:
        """GoNB and what it runs: the cell's program, gopls."""
        kernel = psutil.Process(self.client.km.provisioner.process.pid)
        return [kernel] + kernel.children(recursive=True)

    async def start_training(self, source: str):
        """Starts the training cell; returns once it has trained TRAIN_BEFORE_STOP_S s, just after a checkpoint."""
        cell, index = self.add(source)
        task = asyncio.ensure_future(self.client.async_execute_cell(cell, index))
        deadline, first_seen, seen = time.monotonic() + CELL_TIMEOUT_S, None, 0
        while time.monotonic() < deadline:
            if task.done():
                task.result()  # raises the cell's error, if any
                pytest.fail("the training ended before the test stopped it:\n" + stream_text(cell))
            steps = CHECKPOINT_LINE.findall(stream_text(cell))
            if steps and first_seen is None:
                first_seen = time.monotonic()
            if first_seen and time.monotonic() - first_seen >= TRAIN_BEFORE_STOP_S and len(steps) > seen:
                return task, cell, int(steps[-1])  # a checkpoint has just been written: the next is seconds away
            seen = len(steps)
            await asyncio.sleep(0.05)
        pytest.fail(f"no checkpoint within {CELL_TIMEOUT_S} s:\n" + stream_text(cell))


def problems_of(cell) -> list[str]:
    return problems_in(nbformat.v4.new_notebook(cells=[cell]))


def cell_programs(procs) -> list[psutil.Process]:
    return [p for p in procs if p.name() not in ("gonb", "gopls")]


def assert_resumed(cell, saved_step: int):
    found = RESUMED_LINE.search(stream_text(cell))
    assert found, stream_text(cell)
    start, now, loss = int(found[1]), int(found[2]), float(found[3])
    # The last checkpoint is the one the test saw, or a later one if saves slipped in before the stop arrived (more
    # of them on a fast machine): never an earlier one, and always a checkpoint's step (every 5 steps).
    assert start >= saved_step and (start - saved_step) % 5 == 0, (start, saved_step)
    assert now == start + 3 and math.isfinite(loss), found[0]


def test_interrupt_and_restart_mid_training(tmp_path):
    driver = Driver()
    try:
        asyncio.run(interrupt_and_restart(driver, str(tmp_path / "checkpoint")))
    finally:
        os.makedirs(os.path.join(REPO, "out", "notebooks"), exist_ok=True)
        nbformat.write(driver.nb, os.path.join(REPO, "out", "notebooks", "kernel_interrupt.ipynb"))


async def interrupt_and_restart(driver: Driver, checkpoint_dir: str):
    async with driver.client.async_setup_kernel(env=kernel_env()):
        for source in setup_cells():
            await driver.run(source)

        # Kernel → Interrupt: the training cell ends, its program is gone, the kernel goes on.
        task, cell, saved_step = await driver.start_training(training_cell(checkpoint_dir))
        programs = cell_programs(driver.kernel_processes())
        assert programs, "no cell program under the kernel while the cell runs"
        stopped = time.monotonic()
        await driver.client.km.interrupt_kernel()
        try:
            await asyncio.wait_for(task, STOPPED_WITHIN_S)
        except CellExecutionError as err:
            # GoNB v0.11.5 answers an interrupted cell with an error reply, as IPython does for a
            # KeyboardInterrupt: that, and nothing else, is what the interrupt may cost.
            assert "signal: interrupt" in str(err), str(err)
        print(f"interrupt: the cell ended {time.monotonic() - stopped:.1f} s after it, at step ~{saved_step}")
        assert "signal: interrupt" in stream_text(cell, "stderr"), stream_text(cell, "stderr")
        _, alive = psutil.wait_procs(programs, timeout=5)
        assert not alive, f"still running after the interrupt: {alive}"
        assert_resumed(await driver.run(resume_cell(checkpoint_dir)), saved_step)

        # Kernel → Restart: a new GoNB, nothing of the old one left running; set-up again, and the model resumes.
        task, cell, saved_step = await driver.start_training(training_cell(checkpoint_dir))
        old = driver.kernel_processes()
        stopped = time.monotonic()
        await driver.client.km.restart_kernel()
        # The old kernel never answers the running cell: nbclient notices the dead kernel, or we stop waiting.
        done, _ = await asyncio.wait([task], timeout=5)
        if not done:
            driver.client.task_poll_for_reply.cancel()
        await asyncio.gather(task, return_exceptions=True)
        print(f"restart: done in {time.monotonic() - stopped:.1f} s, at step ~{saved_step}")
        _, alive = psutil.wait_procs(old, timeout=10)
        for p in alive:  # never leave them running, whatever the verdict
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        assert not alive, f"still running after the restart: {alive}"
        await driver.client.kc.wait_for_ready(timeout=120)
        for source in setup_cells():
            await driver.run(source)
        assert_resumed(await driver.run(resume_cell(checkpoint_dir)), saved_step)
