-- wrk script: POST /actions/check with a random engine's credentials and a random action per
-- request. WARMUP=1 in the environment walks every engine in order instead (each thread its share).
local engines, actions = {}, {}
local dir = os.getenv("BENCH_DIR") or "."
for line in io.lines(dir .. "/credentials.txt") do
  local id, key = line:match("^(%S+) (%S+)$")
  engines[#engines + 1] = { id, key }
end
for line in io.lines(dir .. "/actions.txt") do
  local p, a = line:match("^(%S+) (%S+)$")
  actions[#actions + 1] = { p, a }
end
local sequential = os.getenv("WARMUP") == "1"
local counter, step = 0, 1
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  math.randomseed(os.time() + (id or 0) * 7919)
  counter = id or 0
  step = tonumber(os.getenv("WRK_THREADS") or "1")
end

function request()
  local e, a
  if sequential then
    e = engines[(counter % #engines) + 1]
    a = actions[(counter % #actions) + 1]
    counter = counter + step
  else
    e = engines[math.random(#engines)]
    a = actions[math.random(#actions)]
  end
  return wrk.format("POST", "/actions/check", {
    ["Content-Type"] = "application/json",
    ["X-Engine-ID"] = e[1],
    ["X-Engine-Key"] = e[2],
  }, '{"platform":"' .. a[1] .. '","action_type":"' .. a[2] .. '"}')
end

local non200 = 0
function response(status, headers, body)
  if status ~= 200 or not body:find('"allowed":true', 1, true) then
    non200 = non200 + 1
    if non200 <= 3 then io.stderr:write("unexpected response " .. status .. ": " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
