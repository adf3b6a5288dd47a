"""The GASME member bot."""

import os

# Every OpenMP runtime in the process reads its thread count once, when its library loads, and two load here: the
# e5 engine's and the one faiss brings (bot/understanding/nearest.py). It is set before either can load. Left to
# their defaults, one message's embedding took 1.3 s of CPU instead of 19 ms on two busy cores (teams of threads
# spinning against each other), and the bot fell to a tenth of its throughput under load (bench/webhook.py). One
# thread each; a value set from outside is overridden, as the README says.
os.environ["OMP_NUM_THREADS"] = "1"
