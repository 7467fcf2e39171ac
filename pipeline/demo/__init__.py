"""The demo and benchmark corpus: invented sessions, parties and texts, PDFs made from them, and a complete
workspace built through the same library calls the CLI uses."""
