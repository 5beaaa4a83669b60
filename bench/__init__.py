"""cowapp's benchmark suite: ``python -m bench`` (see README 'Benchmarks' and bench/RESULTS.md).

Each benchmark measures what a nurse or technician feels on an old cart, against a baseline
measured in the same run on the same machine, and compares it with its target.
"""
