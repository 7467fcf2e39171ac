"""Stages 4 and 5, index and search: a Whoosh index derived from the archive (rebuildable at any time) and
the queries, facets, snippets and statistics researchers use."""
