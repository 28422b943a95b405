-- Scenario 1: POST the seed's corrected example to /me/notifications (a delegated token).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")

wrk.method = "POST"
wrk.path = common.env("BENCH_PATH")
wrk.body = common.read(common.env("BENCH_BODY_FILE"))
wrk.headers["Authorization"] = "Bearer " .. common.env("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"

common.log_errors()
done = common.done
