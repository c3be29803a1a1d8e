"""What the PyTorch sides of build-aux/dev bench share: timing an
evaluation after one warm-up, and the line they print."""
import resource
import time

import torch


def time_and_report(evaluate, iterations):
    """Runs evaluate() iterations + 1 times; prints "torch_s=… torch_rss_mb=…"
    for the mean of all but the first, with the best and the peak memory."""
    times = []
    for it in range(iterations + 1):
        start = time.perf_counter()
        evaluate()
        if it > 0:
            times.append(time.perf_counter() - start)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print("torch_s=%.3f torch_best_s=%.3f torch_rss_mb=%.0f torch_version=%s"
          % (sum(times) / len(times), min(times), rss, torch.__version__))
