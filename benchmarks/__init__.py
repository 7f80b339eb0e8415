"""Speed and memory benchmarks; each module runs as `python -m benchmarks.<name>`."""
