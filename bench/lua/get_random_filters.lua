-- GET a listing whose cache key is new each time: a random price floor below every price
-- (FLOOR_MAX, set by the bench) keeps the result the same while making the request a cache miss.
-- PATHS are the listings (with their own filters and sorts); each gets "&min_price=<random>".
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end
function request()
  local path = PATHS[math.random(#PATHS)]
  local sep = path:find("?", 1, true) and "&" or "?"
  return wrk.format("GET", path .. sep .. "min_price=" .. math.random(0, FLOOR_MAX))
end
