"""Stage 3, the write-once archive: originals kept byte for byte with metadata sidecars, a hash-chained event
log, fixity checks and BagIt export."""
