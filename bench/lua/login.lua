-- POST /api/v1/auth/login. With SEQUENTIAL each request uses the next user (thread-interleaved),
-- so every login is a first one (credential-cache miss); otherwise a random one of USERS.
local thread_index, thread_count, counter = 0, 1, 0
function setup(thread)
  thread:set("index", SETUP_COUNT or 0)
  SETUP_COUNT = (SETUP_COUNT or 0) + 1
end
function init(args)
  thread_index = index or 0
  thread_count = THREADS or 1
  math.randomseed(os.time() + thread_index * 7919)
end
function request()
  local user
  if SEQUENTIAL then
    user = USERS[((counter * thread_count + thread_index) % #USERS) + 1]
    counter = counter + 1
  else
    user = USERS[math.random(#USERS)]
  end
  local body = '{"username": "' .. user .. '", "password": "' .. PASSWORD .. '"}'
  return wrk.format("POST", "/api/v1/auth/login", {["Content-Type"] = "application/json"}, body)
end
