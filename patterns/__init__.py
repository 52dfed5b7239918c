"""Pattern files (TOML): rasd's language knowledge as data. Loaded by extractor.patterns."""
