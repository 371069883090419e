-- bench-submit.lua -- wrk: POST a new 20-row sheet (bench_sheet) each time,
-- a period of its own (counting back from three days ago, over the bench
-- units), a fresh one-time token; the server answers 303 to the sheet.
--   wrk ... -s bench-submit.lua URL -- CSRF FORM OFFSET UNIT_ID...
-- OFFSET: days before three days ago where this run starts (each run of
-- the bench its own periods)
local threads, nthreads = {}, 0
function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end

local counter = 0
function init(args)
  csrf, form, offset = args[1], args[2], tonumber(args[3])
  units = {}
  for i = 4, #args do table.insert(units, args[i]) end
  base = os.time() - 3 * 86400
  local t = {}
  for i = 0, 19 do
    local d = string.format("%02d:%02d", 6 + math.floor(i / 2), (i % 2) * 30)
    local b = string.format("%02d:%02d", 7 + math.floor(i / 2), (i % 2) * 30 + 15)
    local p = "&row." .. i .. "."
    table.insert(t, p .. "vehicle=CL002" .. p .. "task=" .. "%E5%85%AC%E5%8A%A1%E7%94%A8%E8%BD%A6" ..
      p .. "depart=" .. d .. p .. "back=" .. b .. p .. "odo_start=" .. (10000 + i * 100) ..
      p .. "odo_end=" .. (10000 + i * 100 + 55) .. ".5" .. p .. "fuel=" .. (i % 2 == 0 and "30.00" or "") ..
      p .. "passengers=12" .. p .. "note=%E5%8E%8B%E6%B5%8B")
  end
  rows = table.concat(t)
end

request = function()
  counter = counter + 1
  local n = (counter - 1) * 8 + tid               -- one period per request (up to 8 threads)
  local unit = units[(counter % #units) + 1]
  local date = os.date("!%Y-%m-%d", base - (offset + n) * 86400)
  local tok = string.format("bench%d_%d_%dxxxxxxxxxxxxxxxx", tid, counter, os.time())
  local body = "csrf=" .. csrf .. "&form=" .. form .. "&unit=" .. unit .. "&period=" .. date ..
    "&id=0&version=0&op=submit&tok=" .. tok .. "&h.duty=%E5%8E%8B%E6%B5%8B" .. rows
  local h = {}
  for k, v in pairs(wrk.headers) do h[k] = v end           -- the session cookie (-H)
  h["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", "/entry/save", h, body)
end
