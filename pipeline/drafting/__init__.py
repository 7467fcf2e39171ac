"""Stage 2, drafting: the Protocol and private agreements rendered from .docx templates, Italian and Russian
side by side, each render a new version recorded in the drafts register (drafts/register.jsonl)."""
