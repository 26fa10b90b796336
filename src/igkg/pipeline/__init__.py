"""The pipeline that compiles sources into a store: load → reason → validate, driven by
compile.py, with export as the way back out."""
