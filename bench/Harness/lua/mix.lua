-- Scenario 4: of every 20 requests, 16 page reads, 3 creates (delegated) and one $ref link or dismiss (app-only).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")

local token = common.env("BENCH_TOKEN")
local page_path = common.env("BENCH_PAGE_PATH")
local post_path = common.env("BENCH_PATH")
local body = common.read(common.env("BENCH_BODY_FILE"))
local read_headers = { ["Authorization"] = "Bearer " .. token }
local post_headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
local next_ref = common.ref_requests(common.lines(common.env("BENCH_IDS_FILE")), common.env("BENCH_REF_PATH"), common.env("BENCH_APP_TOKEN"))
local count = 0

request = function()
  local slot = count % 20
  count = count + 1
  if slot < 16 then
    return wrk.format("GET", page_path, read_headers, nil)
  elseif slot < 19 then
    return wrk.format("POST", post_path, post_headers, body)
  end
  return next_ref()
end

common.log_errors()
done = common.done
