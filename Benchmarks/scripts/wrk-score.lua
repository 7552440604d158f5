-- wrk script: POST /v1/score for one applicant (German Credit row 1), bearer key from $LENDING_BENCH_KEY.
wrk.method = "POST"
wrk.path = "/v1/score"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("LENDING_BENCH_KEY") or "bench-key")
wrk.body = '{"features":{"status_of_existing_checking_account":"... < 0 DM","duration_in_month":6,'
  .. '"credit_history":"critical account/ other credits existing (not at this bank)","purpose":"radio/television",'
  .. '"credit_amount":1169,"savings_account_and_bonds":"unknown/ no savings account","present_employment_since":"... >= 7 years",'
  .. '"installment_rate_in_percentage_of_disposable_income":4,"other_debtors_or_guarantors":"none","property":"real estate",'
  .. '"age_in_years":67,"other_installment_plans":"none","housing":"own"}}'

local failures = 0
response = function(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", summary.errors.status))
end
