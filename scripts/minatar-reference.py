#!/usr/bin/env python3
"""Reference figures for PlasticityLab's MinAtar games, from the PyPI package minatar 1.0.15.

For each game: a uniform random policy over the minimal action set (sticky actions p = 0.1 and
difficulty ramping, the package defaults), N episodes; prints one JSON line per game with the
mean, standard deviation and standard error of the episode return and length, and the
environment speed (steps/s of `act` followed by `state()`, single process).

Set-up (the package pulls matplotlib, seaborn, pandas, scipy; none is needed to step the games):
    python3 -m venv /tmp/minatarvenv && /tmp/minatarvenv/bin/pip install minatar==1.0.15
Run:
    /tmp/minatarvenv/bin/python scripts/minatar-reference.py --episodes 1000 --seed 0
"""
import argparse
import json
import logging
import time

logging.disable(logging.WARNING)  # minatar warns when matplotlib's GUI backends are missing
import numpy as np
from minatar import Environment

GAMES = ["asterix", "breakout", "freeway", "seaquest", "space_invaders"]


def measure(game, episodes, seed):
    env = Environment(game)
    env.seed(seed)
    policy = np.random.RandomState(seed + 1)
    actions = env.minimal_action_set()
    returns, lengths = [], []
    steps = 0
    start = time.perf_counter()
    for _ in range(episodes):
        env.reset()
        env.state()
        total, length, terminal = 0.0, 0, False
        while not terminal:
            reward, terminal = env.act(actions[policy.randint(len(actions))])
            env.state()
            total += reward
            length += 1
        returns.append(total)
        lengths.append(length)
        steps += length
    elapsed = time.perf_counter() - start
    r, l = np.array(returns), np.array(lengths, dtype=float)
    n = len(r)
    return {
        "game": game, "episodes": n, "seed": seed, "actions": actions,
        "return_mean": r.mean(), "return_std": r.std(ddof=1), "return_se": r.std(ddof=1) / np.sqrt(n),
        "length_mean": l.mean(), "length_std": l.std(ddof=1), "length_se": l.std(ddof=1) / np.sqrt(n),
        "steps": steps, "steps_per_s": steps / elapsed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--games", default=",".join(GAMES))
    args = parser.parse_args()
    for game in args.games.split(","):
        print(json.dumps(measure(game, args.episodes, args.seed)), flush=True)


if __name__ == "__main__":
    main()
