-- wrk script: POST /actions/check with a random engine's credentials and a random action per
-- request. WARMUP=1 in the environment walks every engine in order instead (each thread its share).
-- DENY_EVERY=4 makes every 4th request of a thread a denied check: one of the first DENY_ENGINES
-- (1) engines asking for an action it lacks (one not in the catalog, so never granted), the same
-- denial again and again, as an engine stuck in a retry loop does. The RESULT line then counts
-- the denied answers.
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
local deny_every = tonumber(os.getenv("DENY_EVERY") or "0")
local deny_engines = tonumber(os.getenv("DENY_ENGINES") or "1")
local counter, step = 0, 1
local sent = 0
denied = 0 -- a global: done() reads it from each thread
local next_id = 0
local threads = {}

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() + (id or 0) * 7919)
  counter = id or 0
  step = tonumber(os.getenv("WRK_THREADS") or "1")
end

function request()
  local e, a
  sent = sent + 1
  if deny_every > 0 and sent % deny_every == 0 then
    e = engines[(math.floor(sent / deny_every) % math.min(deny_engines, #engines)) + 1]
    a = { "gmail", "bench_denied_action" }
  elseif sequential then
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
  if deny_every > 0 and status == 200 and body:find('"allowed":false', 1, true) then
    denied = denied + 1
  elseif status ~= 200 or not body:find('"allowed":true', 1, true) then
    non200 = non200 + 1
    if non200 <= 3 then io.stderr:write("unexpected response " .. status .. ": " .. body .. "\n") end
  end
end

function done(summary, latency, requests)
  local denied_total = 0
  for _, thread in ipairs(threads) do
    denied_total = denied_total + (tonumber(thread:get("denied")) or 0)
  end
  io.write(string.format("RESULT rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors=%d denied=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    denied_total))
end
