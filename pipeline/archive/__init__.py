"""Stage 3, the write-once archive: originals kept byte for byte with metadata sidecars, a hash-chained event
log, fixity checks and BagIt export.

Import each name from its module; this package's face imports none of them, so that what only reads the
archive (the index, the search: ``taskforce search``) does not load ingest, PDF parsing and the comparison
with the drafts at start-up.

- :class:`~.store.Archive` (``store``): ingest, read, edit, verify, export;
- :class:`~.reading.ArchiveReader` (``reading``): the read-only view the index and the search use (records,
  page texts);
- :class:`~.metadata.Given`, the ``parse_*`` option parsers (``metadata``): metadata given by options or a
  manifest;
- ``plan_batch``, ``read_manifest``, ``BatchItem`` (``batch``): what a batch is made of;
- ``Outcome`` (``intake``): what became of one file; ``DocumentRecord`` (``record``): a sidecar;
- ``FixityFinding`` and its kinds (``fixity``): what a fixity check reports; ``ORIGINAL`` (``layout``).
"""
