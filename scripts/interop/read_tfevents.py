"""Reads a run's TensorBoard event files with the `tensorboard` package's own readers and
prints what it found, for Tests/ExperimentsTests/TensorBoardTests.swift.

Usage: python read_tfevents.py RUN_DIRECTORY
Output: `file <name> version <file_version> events <count>` per event file (in name order,
through LegacyEventFileLoader), then one line `scalar <tag> <step> <value>` per scalar as
EventAccumulator returns them for the whole directory: it checks every record's masked
CRC32C and applies the purge of a resumed session's `SessionLog.START`.
"""
import sys
from pathlib import Path

from tensorboard.backend.event_processing import event_accumulator, event_file_loader

directory = Path(sys.argv[1])
for path in sorted(directory.glob("events.out.tfevents.*")):
    events = list(event_file_loader.LegacyEventFileLoader(str(path)).Load())
    print("file", path.name, "version", events[0].file_version, "events", len(events))
acc = event_accumulator.EventAccumulator(str(directory), size_guidance={event_accumulator.SCALARS: 0})
acc.Reload()
for tag in acc.Tags()["scalars"]:
    for e in acc.Scalars(tag):
        print("scalar", tag, e.step, repr(e.value))
