-- Scenario 2: GET a page of /me/notifications (a delegated token; the path carries $top).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")

wrk.method = "GET"
wrk.path = common.env("BENCH_PATH")
wrk.headers["Authorization"] = "Bearer " .. common.env("BENCH_TOKEN")

common.log_errors()
done = common.done
