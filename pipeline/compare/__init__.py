"""The comparison of a signed text with its approved draft, the stage between the archive (which keeps what
was signed) and the index (which makes the verdict searchable).

Import each name from its module; this package's face imports none of them.

- ``signedtext``: the text read back from a signed PDF (text layer or OCR), cleaned of page furniture and
  split by language;
- ``align``: word alignment of a draft's text with a signed text;
- ``drafts``: which version of the drafts register, and which of its layouts, a signed text is compared with;
- ``comparison``: :func:`~.comparison.compare_signed`, the :class:`~.comparison.Comparison` and its verdict;
- ``words``: the changed words inside a changed paragraph, for the redlines;
- ``draftcheck``: what ingest learns from the drafts register (the comparison and warnings), given to the
  archive as its ``check_text``;
- ``recompare``: ``taskforce archive compare``, a new comparison recorded as a metadata revision.
"""
