#!/usr/bin/env python3
"""Bulk-loads event files into an existing Xandikos calendar collection, with Xandikos's own
code, in one git commit instead of one per PUT (a PUT costs Xandikos a commit and a rewrite of
the git index, so loading 10,000 by PUT takes many minutes).

Each file goes through what a PUT does to it (xandikos.store.git.GitStore.import_one):
open_by_content_type('text/calendar'), validate(), the duplicate-UID check, and normalized()
(Xandikos stores the re-serialised calendar, not the bytes sent); then the blob and the index
entry are written as TreeGitStore._import_one writes them, and a single commit is made. Only
the per-item commits (and their messages) are skipped: Xandikos reads items from the git index
and the commit's tree, never from the history.

Usage: load_xandikos.py COLLECTION_DIR EVENTS_DIR [LIMIT]
Run it with the Python that runs Xandikos; the collection must exist (MKCALENDAR) and Xandikos
must be idle while this runs.
"""
import os
import sys

from dulwich.index import IndexEntry, index_entry_from_stat
from dulwich.objects import Blob
from xandikos.icalendar import ICalendarFile
from xandikos.store import open_by_content_type
from xandikos.store.git import TreeGitStore, locked_index


def main():
    collection, events_dir = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    names = sorted(n for n in os.listdir(events_dir) if n.endswith(".ics"))[:limit]
    store = TreeGitStore.open_from_path(collection)
    store.load_extra_file_handler(ICalendarFile)  # as xandikos.web.open_store_from_path does
    uids = set()
    with locked_index(store.repo.index_path()) as index:
        blobs = []
        for name in names:
            with open(os.path.join(events_dir, name), "rb") as fh:
                data = fh.read()
            fi = open_by_content_type([data], "text/calendar", store.extra_file_handlers)
            fi.validate()
            uid = fi.get_uid()
            if uid in uids:
                raise SystemExit("duplicate UID %s in %s" % (uid, name))
            uids.add(uid)
            body = b"".join(fi.normalized())
            path = os.path.join(store.repo.path, name)
            with open(path, "wb") as fh:
                fh.write(body)
            blob = Blob.from_string(body)
            blobs.append((blob, None))
            index[name.encode("utf-8")] = IndexEntry(*index_entry_from_stat(os.lstat(path), blob.id, 0))
        store.repo.object_store.add_objects(blobs)  # one pack, not 10,000 loose objects
        store._commit_tree(index, ("Import %d items" % len(names)).encode("utf-8"))
    print(len(names))


if __name__ == "__main__":
    main()
