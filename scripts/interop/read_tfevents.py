"""Reads a TensorBoard event file with the `tensorboard` package's own readers and prints
what it found, for Tests/ExperimentsTests/TensorBoardTests.swift.

Usage: python read_tfevents.py EVENTS_FILE
Output: `version <file_version>` then one line `scalar <tag> <step> <value>` per scalar, as
EventAccumulator (which checks every record's masked CRC32C) returns them.
"""
import sys

from tensorboard.backend.event_processing import event_accumulator, event_file_loader

path = sys.argv[1]
first = next(iter(event_file_loader.LegacyEventFileLoader(path).Load()))
print("version", first.file_version)
acc = event_accumulator.EventAccumulator(path, size_guidance={event_accumulator.SCALARS: 0})
acc.Reload()
for tag in acc.Tags()["scalars"]:
    for e in acc.Scalars(tag):
        print("scalar", tag, e.step, repr(e.value))
