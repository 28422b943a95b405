-- Shared by the scenario scripts: settings from the environment (the harness sets them), and one JSON line of
-- results for the harness to read when wrk is done.
local common = {}

function common.env(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    error("missing environment variable " .. name)
  end
  return value
end

function common.read(path)
  local file = assert(io.open(path, "rb"))
  local text = file:read("*a")
  file:close()
  return text
end

function common.lines(path)
  local items = {}
  for line in io.lines(path) do
    if line ~= "" then
      items[#items + 1] = line
    end
  end
  return items
end

-- $ref link and dismiss without races between connections: step i links pool[i] and dismisses pool[i + n/2],
-- which was linked n/2 steps earlier (the seed links the second half of the pool to start with).
function common.ref_requests(pool, path, token)
  local n = #pool
  local step = 0
  local link_headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  local dismiss_headers = { ["Authorization"] = "Bearer " .. token }
  return function()
    local i = math.floor(step / 2)
    local is_link = step % 2 == 0
    step = step + 1
    if is_link then
      local id = pool[(i % n) + 1]
      return wrk.format("POST", path .. "/$ref", link_headers, '{"@odata.id":"notifications(\'' .. id .. '\')"}')
    end
    local id = pool[((i + n / 2) % n) + 1]
    return wrk.format("DELETE", path .. "/" .. id .. "/$ref", dismiss_headers, nil)
  end
end

-- With BENCH_LOG_ERRORS set (warm-up runs), every answer that is not 2xx or 3xx is written to stderr. Defining
-- response makes wrk parse every answer, so measured runs leave it unset.
function common.log_errors()
  if os.getenv("BENCH_LOG_ERRORS") ~= nil then
    response = function(status, headers, body)
      if status > 399 then
        io.stderr:write("HTTP " .. status .. ": " .. string.sub(body or "", 1, 400) .. "\n")
      end
    end
  end
end

function common.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,' ..
    '"statusErrors":%d,"timeouts":%d,"meanUs":%.1f,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

return common
