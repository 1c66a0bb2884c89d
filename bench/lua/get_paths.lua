-- GET one of PATHS at random (PATHS and HEADERS are set by the bench).
local counter = 0
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end
function request()
  counter = counter + 1
  local path = PATHS[math.random(#PATHS)]
  if TOKENS then
    return wrk.format("GET", path, {Authorization = "Bearer " .. TOKENS[math.random(#TOKENS)]})
  end
  return wrk.format("GET", path)
end
