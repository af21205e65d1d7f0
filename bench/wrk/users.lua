-- wrk script for the benchmark: one of three loads on the users API, chosen by the first script argument.
--   get    GET /users/{id} over random ids in 1..BENCH_MAX_ID (the seeded users: every one exists)
--   post   POST /users {"name": "bench"}
--   mixed  80 % get, 20 % post, chosen at random per request
-- Usage: BENCH_MAX_ID=10000 wrk -t2 -c16 -d20s -s bench/wrk/users.lua http://127.0.0.1:PORT -- get
-- done() prints one line "BENCH_RESULT {json}" with the figures bench/run.sh records. wrk counts only
-- status >= 400 as errors; this script counts every status per thread so that any non-2xx is an error.

local threads = {}
local counter = 0

-- Main state: keep each thread to read its status counts at the end; give each its own random seed.
function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  table.insert(threads, thread)
end

-- Thread states from here to done().
local mode
local max_id
local post_body = '{"name":"bench"}'
local post_headers = { ["Content-Type"] = "application/json" }
-- A global, so that the main state can copy it with thread:get at the end.
statuses = {}

function init(args)
  mode = args[1] or "get"
  if mode ~= "get" and mode ~= "post" and mode ~= "mixed" then
    error("mode must be get, post or mixed, not " .. tostring(mode))
  end
  max_id = tonumber(os.getenv("BENCH_MAX_ID") or "10000")
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end

local function get_user()
  return wrk.format("GET", "/users/" .. math.random(1, max_id))
end

local function post_user()
  return wrk.format("POST", "/users", post_headers, post_body)
end

function request()
  if mode == "get" then
    return get_user()
  elseif mode == "post" then
    return post_user()
  elseif math.random(1, 10) <= 8 then
    return get_user()
  end
  return post_user()
end

-- Defining response() makes wrk parse each answer; the cost is the same for every target measured.
function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency)
  local by_status = {}
  local non_2xx = 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      by_status[status] = (by_status[status] or 0) + count
      if status < 200 or status > 299 then
        non_2xx = non_2xx + count
      end
    end
  end
  local status_json = {}
  for status, count in pairs(by_status) do
    table.insert(status_json, string.format('"%d":%d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"rps":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"non_2xx":%d,"socket_errors":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    non_2xx, e.connect + e.read + e.write + e.timeout, table.concat(status_json, ",")))
end
