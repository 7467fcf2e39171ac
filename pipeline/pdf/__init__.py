"""Reading signed PDFs for the archive: text layer or OCR, digital signatures, each parser run in a child
process with time and memory limits (the files are untrusted)."""
