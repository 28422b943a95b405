-- Scenario 3: $ref link and dismiss, alternately, on /users/{id}/notifications (an app-only token).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")

local path = common.env("BENCH_REF_PATH")
local next_ref = common.ref_requests(common.lines(common.env("BENCH_IDS_FILE")), path, common.env("BENCH_APP_TOKEN"))
local checked = false

-- wrk calls request() once before the run to check what it returns, and never sends that request: that call
-- must not use up a step of the link/dismiss sequence.
request = function()
  if not checked then
    checked = true
    return wrk.format("GET", path, {}, nil)
  end
  return next_ref()
end

common.log_errors()
done = common.done
