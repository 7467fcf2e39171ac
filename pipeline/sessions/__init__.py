"""Stage 1, the session registry: one YAML file per session, validated field by field, and the dates and
field checks the later stages share (Italian and Russian legal date forms, cleaning of typed values)."""
