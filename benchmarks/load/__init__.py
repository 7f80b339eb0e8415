"""Load benchmark: Hallway and two reference bots under N concurrent users over the real Bot
Framework protocol. Run `python -m benchmarks.load --help`."""
