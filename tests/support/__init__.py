"""What the test suites and the benchmarks share: running the app (`serving`)."""
