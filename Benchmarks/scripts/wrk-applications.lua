-- wrk script: POST /v1/applications, every request a new application (its own id, Idempotency-Key,
-- valid resident ID number, phone, Luhn-valid card, device, IP, time) with German Credit row 1's
-- characteristics. Each wrk thread numbers its own applications.

local key = os.getenv("LENDING_BENCH_KEY") or "bench-key"
local run = os.getenv("LENDING_BENCH_RUN") or tostring(os.time())
local threadCount = 0

setup = function(thread)
  thread:set("threadIndex", threadCount)
  threadCount = threadCount + 1
end

local weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local checks = {"1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"}

local function residentID(n)
  local birth = os.date("!%Y%m%d", 86400 * (3650 + n % 9000))       -- born 1980..2004
  local body = "110105" .. birth .. string.format("%03d", math.floor(n / 9000) % 1000)
  local sum = 0
  for i = 1, 17 do sum = sum + tonumber(body:sub(i, i)) * weights[i] end
  return body .. checks[sum % 11 + 1]
end

local function card(n)
  local digits = "622202" .. string.format("%012d", n)
  for check = 0, 9 do
    local candidate = digits .. check
    local sum = 0
    local len = #candidate
    for i = len, 1, -1 do
      local d = tonumber(candidate:sub(i, i))
      if (len - i) % 2 == 1 then d = d * 2; if d > 9 then d = d - 9 end end
      sum = sum + d
    end
    if sum % 10 == 0 then return candidate end
  end
end

local counter = 0
local characteristics = '"status_of_existing_checking_account":"... < 0 DM","duration_in_month":"6",'
  .. '"credit_history":"critical account/ other credits existing (not at this bank)","purpose":"radio/television",'
  .. '"credit_amount":"1169","savings_account_and_bonds":"unknown/ no savings account","present_employment_since":"... >= 7 years",'
  .. '"installment_rate_in_percentage_of_disposable_income":"4","other_debtors_or_guarantors":"none","property":"real estate",'
  .. '"age_in_years":"67","other_installment_plans":"none","housing":"own"'

request = function()
  counter = counter + 1
  local n = threadIndex * 10000000 + counter
  local id = "B-" .. run .. "-" .. n
  local at = os.date("!%Y-%m-%dT%H:%M:%SZ", 1790000000 + n % 5000000)
  local body = '{"application_id":"' .. id .. '","applied_at":"' .. at .. '","product":"installment","channel":"app",'
    .. '"name":"Bench ' .. n .. '","id_number":"' .. residentID(n) .. '","phone":"138' .. string.format("%08d", n % 100000000) .. '",'
    .. '"bank_card":"' .. card(n) .. '","device_id":"dev-' .. n .. '","ip":"10.' .. (n % 250) .. '.' .. (math.floor(n / 250) % 250) .. '.1",'
    .. '"requested_amount":"5000.00","term_months":"12","kyc_name_id":"match","kyc_phone":"match","kyc_card":"match",'
    .. '"liveness":"pass","face_score":"95",' .. characteristics .. '}'
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. key
  headers["Idempotency-Key"] = id
  return wrk.format("POST", "/v1/applications", headers, body)
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx responses: %d\n", summary.errors.status))
end
