// Generated from docs/openapi.yaml; a test keeps them equal. After editing the YAML, regenerate:
//   { sed -n 1,6p Sources/LendingHTTP/OpenAPIDocument.swift; cat docs/openapi.yaml; echo '"""#'; echo "}"; } > /tmp/o && mv /tmp/o Sources/LendingHTTP/OpenAPIDocument.swift
/// The OpenAPI 3.1 document of the service, served at `GET /openapi.yaml`.
public enum OpenAPIDocument {
    /// docs/openapi.yaml, without its final line break.
    public static let yaml = #"""
openapi: 3.1.0
info:
  title: lending
  version: 0.1.0
  summary: Credit scoring, application decisions and the loan book over HTTP (lending serve).
  description: |
    JSON over HTTP/1.1. Every route but `/health` needs `Authorization: Bearer KEY`; keys come
    from `--api-key-file FILE` (one per line) or `LENDING_API_KEYS` (comma-separated), and the
    server refuses to start with neither. Every POST that creates a record or moves money needs
    an `Idempotency-Key` header: a repeat with the same method, path and body gets the stored
    response again (with `Idempotent-Replayed: true`), the same key with another request gets
    409, and concurrent repeats wait for the first and have one effect. With `--db`, a key is
    stored in the database in the transaction of the record it created (an application, a draw,
    a repayment), so repeats are answered the same way after a restart. Refusals that are the
    request's outcome (404, 409, 422) are kept under the key too; 400s and failures are not, so
    a corrected request may use the key again.

    Money is a decimal string in yuan with at most 2 decimals (`"5000.00"`), rates are annual
    decimals (`"0.1825"`), dates ISO 8601 (`2026-11-21`, `2026-11-21T09:30:00+08:00`).
    Errors are `{"error": {"code": "...", "message": "..."}}`: 400 bad input (the field is
    named), 401 no or wrong key, 404 no such record or route, 409 a key or id reused with other
    values, 413 body too large, 422 a business rule says no, 501 the feature is not configured,
    500/503 a failure that stored nothing.
  license:
    name: Apache-2.0
servers:
  - url: http://127.0.0.1:8080
security:
  - bearer: []
paths:
  /health:
    get:
      summary: Liveness (no key needed).
      security: []
      responses:
        "200":
          description: The server is up.
          content:
            application/json:
              schema:
                type: object
                properties:
                  status: { type: string, const: ok }
  /metrics:
    get:
      summary: Prometheus metrics in the text exposition format.
      description: |
        `lending_http_requests_total{route,method,status}`,
        `lending_http_request_duration_seconds{route,method}` (histogram),
        `lending_decisions_total{outcome}`, `lending_scores_total`. Labels hold route templates,
        never ids or personal data.
      responses:
        "200":
          description: The metrics.
          content:
            text/plain:
              schema: { type: string }
        "401": { $ref: "#/components/responses/Unauthorized" }
  /openapi.yaml:
    get:
      summary: This document.
      responses:
        "200":
          description: OpenAPI 3.1 in YAML.
          content:
            application/yaml:
              schema: { type: string }
        "401": { $ref: "#/components/responses/Unauthorized" }
  /v1/score:
    post:
      summary: Score one applicant or a batch with the served scorecard.
      description: |
        Values are strings or numbers as in a CSV field (`"1169"` and `1169` are the same); an
        absent or null value is missing. Scores equal `lending score` on the same rows;
        `probability` (of bad) is rounded to 6 decimals as `lending score` writes it. Reasons are
        the characteristics furthest below their maximum points, most adverse first.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                  required: [features]
                  properties:
                    features: { $ref: "#/components/schemas/Features" }
                    reasons: { $ref: "#/components/schemas/ReasonCount" }
                - type: object
                  required: [rows]
                  properties:
                    rows:
                      type: array
                      maxItems: 10000
                      items: { $ref: "#/components/schemas/Features" }
                    reasons: { $ref: "#/components/schemas/ReasonCount" }
            example:
              features:
                status_of_existing_checking_account: "... < 0 DM"
                duration_in_month: 6
                credit_history: "critical account/ other credits existing (not at this bank)"
                purpose: "radio/television"
                credit_amount: 1169
                savings_account_and_bonds: "unknown/ no savings account"
                present_employment_since: "... >= 7 years"
                installment_rate_in_percentage_of_disposable_income: 4
                other_debtors_or_guarantors: none
                property: "real estate"
                age_in_years: 67
                other_installment_plans: none
                housing: own
      responses:
        "200":
          description: The score, or one result per row in order.
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: "#/components/schemas/ScoreResult"
                  - type: object
                    required: [results]
                    properties:
                      results:
                        type: array
                        items: { $ref: "#/components/schemas/ScoreResult" }
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "413": { $ref: "#/components/responses/TooLarge" }
  /v1/applications:
    post:
      summary: Decide one application (identity, whitelist, blacklist, fraud, credit, policy) and store it.
      description: |
        The body holds the columns of APPLICATIONS.csv as JSON fields, then the model's
        characteristics by name; values are strings (numbers accepted where the CSV holds a
        number, but `requested_amount` must be a string). Validation is the CSV path's, field
        by field. The decision is stored, chained and on disk before the answer is sent. An
        `application_id` already decided with the same inputs returns its stored decision (200,
        `replayed: true`); with other inputs, 409 `apply.conflict` (a changed application needs
        a new id).
      parameters:
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Application" }
      responses:
        "201":
          description: Decided and stored.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Decision" }
        "200":
          description: Already decided with the same inputs; the stored decision.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Decision" }
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "409": { $ref: "#/components/responses/Conflict" }
        "413": { $ref: "#/components/responses/TooLarge" }
  /v1/applications/{id}:
    get:
      summary: An application's latest decision (a review's, once a person decided it).
      parameters:
        - $ref: "#/components/parameters/ID"
      responses:
        "200":
          description: The latest decision.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Decision" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "404": { $ref: "#/components/responses/NotFound" }
  /v1/lines/{id}/draws:
    post:
      summary: Draw on a revolving line; the new loan's id is the draw id.
      description: |
        Checks the line (signed on or before the draw's date, not frozen, the amount within what
        is available), lowers what is available and makes a loan (status `signed`) that
        `lending disburse` pays out; its schedule runs from the payout day. A `draw_id` taken
        before with the same line, amount, term and date returns its loan as it is now (200,
        `replayed: true`); with other values, 409 `draw.conflict`. Without `requested_at` the
        draw is dated the server's today (and a draw id taken before with the same line, amount
        and term keeps its date).
      parameters:
        - $ref: "#/components/parameters/ID"
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [draw_id, amount, term_months]
              properties:
                draw_id: { type: string, minLength: 1, maxLength: 64 }
                amount: { $ref: "#/components/schemas/Money" }
                term_months: { type: integer, minimum: 1, maximum: 360 }
                requested_at:
                  type: string
                  description: "The business date (`2026-11-21`, or a date-time with offset whose date is used); default today."
      responses:
        "201":
          description: The loan made by the draw (status `signed`, waiting for its payout).
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Loan" }
        "200":
          description: The draw was taken before with the same values; its loan as it is now.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Loan" }
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "404": { $ref: "#/components/responses/NotFound" }
        "409": { $ref: "#/components/responses/Conflict" }
        "422": { $ref: "#/components/responses/RuleViolation" }
  /v1/loans/{id}/repayments:
    post:
      summary: Apply a repayment to a loan.
      description: |
        Catches the loan's end of day up through `paid_at`, settles what is due in the product's
        order, then follows its overpayment rule (docs/servicing.md); posts the entry
        `repay:PAYMENT_ID` on the ledger. A `payment_id` applied before with the same loan, date
        and amount returns the stored allocation (200, `replayed: true`) and posts nothing; with
        other values, 409 `repay.conflict`. 422: the loan is not paid out yet
        (`repay.not_paid_out`), is closed (`servicing.not_active`), or the payment is dated
        before the loan's last end of day (`servicing.backdated`).
      parameters:
        - $ref: "#/components/parameters/ID"
        - $ref: "#/components/parameters/IdempotencyKey"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [payment_id, amount, paid_at]
              properties:
                payment_id: { type: string, minLength: 1, maxLength: 64 }
                amount: { $ref: "#/components/schemas/Money" }
                paid_at:
                  type: string
                  description: The business date (`2026-11-21`), or a date-time with offset whose date is used.
      responses:
        "201":
          description: How the payment was applied, and the loan after it.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Repayment" }
        "200":
          description: The payment was applied before with the same values; its allocation, and the loan as it is now.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Repayment" }
        "400": { $ref: "#/components/responses/BadRequest" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "404": { $ref: "#/components/responses/NotFound" }
        "409": { $ref: "#/components/responses/Conflict" }
        "422": { $ref: "#/components/responses/RuleViolation" }
  /v1/loans/{id}:
    get:
      summary: A loan's terms, schedule, balances and days past due.
      parameters:
        - $ref: "#/components/parameters/ID"
      responses:
        "200":
          description: The loan.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Loan" }
        "401": { $ref: "#/components/responses/Unauthorized" }
        "404": { $ref: "#/components/responses/NotFound" }
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: An API key from --api-key-file or LENDING_API_KEYS (stored only as SHA-256).
  parameters:
    ID:
      name: id
      in: path
      required: true
      schema: { type: string, maxLength: 64 }
    IdempotencyKey:
      name: Idempotency-Key
      in: header
      required: true
      description: 1 to 255 visible ASCII characters, unique per operation (a UUID is fine).
      schema: { type: string, minLength: 1, maxLength: 255 }
  responses:
    BadRequest:
      description: Malformed JSON, a missing or mistyped field (named in the message), a value out of range.
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    Unauthorized:
      description: No `Authorization` header, or a key that is not accepted.
      headers:
        WWW-Authenticate:
          schema: { type: string, const: Bearer }
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    NotFound:
      description: No such record or route.
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    Conflict:
      description: |
        The Idempotency-Key (`idempotency.mismatch`) or the record's id was used with other values
        (`apply.conflict`, `draw.conflict`, `repay.conflict`; `draw.draw_id`: the draw id is another loan's id).
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    RuleViolation:
      description: |
        The request is well-formed but a business rule refuses it: over the line's available amount
        (`draw.over_available`), a frozen line (`draw.frozen`), an approved application whose agreement is
        not signed (`draw.line_not_signed`), an installment loan used as a line (`draw.not_a_line`), a draw
        dated before the line was signed (`draw.before_signing`), a loan not paid out yet
        (`repay.not_paid_out`), a closed loan (`servicing.not_active`), a backdated payment (`servicing.backdated`).
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
    TooLarge:
      description: The body is larger than the server accepts (4 MiB by default).
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Error" }
  schemas:
    Error:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code: { type: string, examples: [apply.field] }
            message: { type: string, description: What is wrong and what to do; never personal data. }
    Money:
      type: string
      pattern: "^-?[0-9]+(\\.[0-9]{1,2})?$"
      examples: ["5000.00"]
    Rate:
      type: string
      description: An annual rate as a decimal.
      examples: ["0.1825"]
    ReasonCount:
      type: integer
      minimum: 0
      maximum: 64
      default: 4
    Features:
      type: object
      description: The model's characteristics by name; extra keys are ignored.
      additionalProperties:
        type: [string, number, "null"]
    ScoreResult:
      type: object
      required: [score, probability, reasons]
      properties:
        score: { type: number }
        probability: { type: number, minimum: 0, maximum: 1, description: Probability of bad, 6 decimals. }
        reasons:
          type: array
          items:
            type: object
            required: [characteristic, points_below_maximum]
            properties:
              characteristic: { type: string }
              points_below_maximum: { type: number }
    Application:
      type: object
      required: [application_id, applied_at, product, channel, id_number, phone, bank_card, requested_amount,
                 term_months, kyc_name_id, kyc_phone, kyc_card, liveness, face_score]
      additionalProperties:
        type: [string, number, "null"]
        description: The model's characteristics by name.
      properties:
        application_id: { type: string, maxLength: 64 }
        applied_at: { type: string, examples: ["2026-11-21T09:30:00+08:00"] }
        product: { type: string, enum: [installment, revolving] }
        channel: { type: string }
        merchant_id: { type: string }
        name: { type: string }
        id_number: { type: string }
        phone: { type: string }
        bank_card: { type: string }
        device_id: { type: string }
        ip: { type: string }
        address: { type: string }
        employer: { type: string }
        contact_phone: { type: string }
        requested_amount: { $ref: "#/components/schemas/Money" }
        term_months: { type: [integer, string] }
        kyc_name_id: { $ref: "#/components/schemas/ProviderResult" }
        kyc_phone: { $ref: "#/components/schemas/ProviderResult" }
        kyc_card: { $ref: "#/components/schemas/ProviderResult" }
        liveness: { type: string, enum: [pass, fail, ""] }
        face_score: { type: [number, string], minimum: 0, maximum: 100 }
    ProviderResult:
      type: string
      enum: [match, mismatch, no_record, error]
    Decision:
      type: object
      required: [application_id, outcome, approved_limit, reasons, decided_at, kind, sequence, model_version, policy_version]
      properties:
        application_id: { type: string }
        outcome: { type: string, enum: [approve, review, decline] }
        approved_limit: { $ref: "#/components/schemas/Money" }
        apr: { $ref: "#/components/schemas/Rate" }
        score: { type: number }
        probability: { type: number }
        fraud_score: { type: number }
        reasons:
          type: array
          description: Codes whose prefix names the stage (WL_, ID_, FR_, CR_, PL_).
          items: { type: string }
        decided_at: { type: string, description: UTC, like 2026-11-21T01:30:00Z. }
        kind: { type: string, enum: [automated, review] }
        sequence: { type: integer, description: The decision's place in the hash chain. }
        model_version: { type: string }
        policy_version: { type: string }
        replayed: { type: boolean, description: Present on POST; true when the application was decided before. }
    Installment:
      type: object
      properties:
        number: { type: integer }
        due_date: { type: string, format: date }
        principal_due: { $ref: "#/components/schemas/Money" }
        interest_due: { $ref: "#/components/schemas/Money" }
        principal_paid: { $ref: "#/components/schemas/Money" }
        interest_paid: { $ref: "#/components/schemas/Money" }
        penalty_accrued: { $ref: "#/components/schemas/Money" }
        penalty_paid: { $ref: "#/components/schemas/Money" }
    Loan:
      type: object
      required: [loan_id, product, status, principal, term_months, apr, signed_on, days_past_due, payoff_amount, balances, schedule]
      properties:
        loan_id: { type: string }
        line_id: { type: string, description: The credit line of a draw's loan. }
        product: { type: string }
        status:
          type: string
          enum: [signed, active, paid_off, written_off]
          description: "`signed`: waiting for its payout (no schedule, balances zero)."
        principal: { $ref: "#/components/schemas/Money" }
        term_months: { type: integer }
        apr: { $ref: "#/components/schemas/Rate" }
        signed_on: { type: string, format: date, description: The day the agreement was signed or the draw taken. }
        disbursed_on: { type: string, format: date, description: Absent while signed. }
        processed_through: { type: string, format: date, description: The last day whose end of day has run; absent while signed. }
        days_past_due: { type: integer }
        bucket: { type: string, description: "The delinquency bucket (`current`, `1-3`, ...); absent while signed." }
        payoff_amount: { $ref: "#/components/schemas/Money" }
        replayed: { type: boolean, description: On POST draws only; true when the draw was taken before. }
        balances:
          type: object
          properties:
            outstanding_principal: { $ref: "#/components/schemas/Money" }
            interest_receivable: { $ref: "#/components/schemas/Money" }
            penalty_receivable: { $ref: "#/components/schemas/Money" }
            overpayment: { $ref: "#/components/schemas/Money" }
        schedule:
          type: array
          items: { $ref: "#/components/schemas/Installment" }
    Repayment:
      type: object
      required: [payment_id, loan_id, amount, allocation, loan, replayed]
      properties:
        payment_id: { type: string }
        loan_id: { type: string }
        amount: { $ref: "#/components/schemas/Money" }
        allocation:
          type: object
          properties:
            penalty: { $ref: "#/components/schemas/Money" }
            interest: { $ref: "#/components/schemas/Money" }
            principal: { $ref: "#/components/schemas/Money" }
            overpayment: { $ref: "#/components/schemas/Money", description: Held for the borrower. }
            recovery: { $ref: "#/components/schemas/Money", description: Paid on a written-off loan. }
        loan: { $ref: "#/components/schemas/Loan" }
        replayed: { type: boolean, description: True when the payment was applied before. }
"""#
}
