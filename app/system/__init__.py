"""The program around the use cases: where its files live, its log, a diagnostics bundle."""
