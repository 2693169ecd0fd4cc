-- The engine's own `quarto` Lua module: the parts of Quarto's Lua API that filters and shortcodes use most.
-- Loaded by run_filters.lua and run_shortcodes.lua before any user code. Every other `quarto.*` name is a
-- proxy: calling it records a warning naming the function and the script, and returns nil.
--
-- REPORT_LUA holds the context as JSON: format, aliases, metadata, variables, project root, document.

local context = pandoc.json.decode(os.getenv("REPORT_LUA") or "{}", false)
local effects = {warnings = {}, dependencies = {}, includes = {}, output = {}}
local current_script = nil

local function script_dir()
  if current_script == nil then return context.root or "." end
  return pandoc.path.directory(current_script)
end

local function warn(message)
  table.insert(effects.warnings, {script = current_script, message = message})
end

local function lookup(data, dotted)
  local value = data
  for part in string.gmatch(dotted, "[^%.]+") do
    if type(value) ~= "table" then return nil end
    local index = tonumber(part)
    if index ~= nil and value[index + 1] ~= nil then value = value[index + 1] else value = value[part] end
  end
  return value
end

local function to_meta(value)
  -- JSON values as pandoc metadata, the way Quarto's metadata reaches Lua: strings as Inlines.
  if type(value) == "table" then
    if value[1] ~= nil or next(value) == nil then
      local list = pandoc.List{}
      for _, item in ipairs(value) do list:insert(to_meta(item)) end
      return list
    end
    local map = {}
    for key, item in pairs(value) do map[key] = to_meta(item) end
    return map
  end
  if type(value) == "boolean" then return value end
  if value == nil then return nil end
  return pandoc.Inlines(pandoc.utils.stringify(tostring(value)))
end

local function string_to_blocks(text)
  return pandoc.read(text, "markdown").blocks
end

local function string_to_inlines(text)
  local blocks = string_to_blocks(text)
  if #blocks == 1 and (blocks[1].t == "Para" or blocks[1].t == "Plain") then return blocks[1].content end
  return pandoc.utils.blocks_to_inlines(blocks)
end

local function with_script_paths(dependency)
  -- Quarto resolves a dependency's files against the script that adds it.
  local copy = {name = dependency.name, version = dependency.version, head = dependency.head,
                scripts = {}, stylesheets = {}, base = script_dir()}
  for _, kind in ipairs({"scripts", "stylesheets"}) do
    for _, item in ipairs(dependency[kind] or {}) do
      local path = type(item) == "table" and item.path or item
      table.insert(copy[kind], pandoc.path.normalize(pandoc.path.join({script_dir(), path})))
    end
  end
  return copy
end

local function callout(spec)
  -- Quarto's callout constructor, as the Div the engine's callouts read (before `quarto` in the filters list).
  local attributes = {}
  if spec.title ~= nil then attributes.title = pandoc.utils.stringify(spec.title) end
  for _, key in ipairs({"appearance", "icon", "collapse"}) do
    if spec[key] ~= nil then attributes[key] = tostring(spec[key]) end
  end
  local content = spec.content or {}
  if type(content) == "string" then content = string_to_blocks(content) end
  return pandoc.Div(content, pandoc.Attr(spec.id or "", {"callout-" .. (spec.type or "note")}, attributes))
end

local api = {
  Callout = callout,
  doc = {
    is_format = function(name)
      for _, alias in ipairs(context.aliases or {}) do
        if alias == name then return true end
      end
      return false
    end,
    has_bootstrap = function() return context.format == "html" end,
    add_html_dependency = function(dependency)
      table.insert(effects.dependencies, with_script_paths(dependency))
    end,
    include_text = function(location, text)
      table.insert(effects.includes, {location = location, text = text})
    end,
    include_file = function(location, path)
      local file = io.open(pandoc.path.join({script_dir(), path}), "r")
      if file == nil then error("include_file: cannot read " .. path) end
      table.insert(effects.includes, {location = location, text = file:read("a")})
      file:close()
    end,
    input_file = context.document,
  },
  log = {
    output = function(...)
      local parts = {}
      for _, value in ipairs({...}) do table.insert(parts, type(value) == "string" and value or tostring(value)) end
      table.insert(effects.output, table.concat(parts, " "))
    end,
    warning = function(...)
      local parts = {}
      for _, value in ipairs({...}) do table.insert(parts, tostring(value)) end
      warn(table.concat(parts, " "))
    end,
    error = function(...)
      local parts = {}
      for _, value in ipairs({...}) do table.insert(parts, tostring(value)) end
      error(table.concat(parts, " "), 2)
    end,
    info = function() end,
    debug = function() end,
  },
  utils = {
    resolve_path = function(path) return pandoc.path.normalize(pandoc.path.join({script_dir(), path})) end,
    string_to_inlines = string_to_inlines,
    string_to_blocks = string_to_blocks,
    stringify = function(value) return pandoc.utils.stringify(value) end,
  },
  metadata = {get = function(key) return to_meta(lookup(context.metadata or {}, key)) end},
  variables = {get = function(key) return to_meta(lookup(context.variables or {}, key)) end},
  json = {encode = pandoc.json.encode, decode = function(text) return pandoc.json.decode(text, false) end},
}

local function proxy(name)
  -- Anything the module lacks: indexing goes deeper, calling warns and returns nil.
  return setmetatable({}, {
    __index = function(_, key) return proxy(name .. "." .. key) end,
    __call = function()
      warn("Lua API '" .. name .. "' is not provided by the embedded engine; the call returned nil")
      return nil
    end,
  })
end

local function guarded(name, table_)
  return setmetatable(table_, {__index = function(_, key) return proxy(name .. "." .. key) end})
end

for key, value in pairs(api) do
  if type(value) == "table" then api[key] = guarded("quarto." .. key, value) end
end
quarto = guarded("quarto", api)

-- Pandoc 3 dropped the pandoc.Null constructor; Quarto gives it back as "nothing" (an empty list), so that
-- extensions written for older pandoc, which return pandoc.Null() from a filter or shortcode, still run.
if pandoc.Null == nil then
  pandoc.Null = function() return {} end
end

-- What the Python side reads back: used by run_filters.lua and run_shortcodes.lua.
REPORT_LUA = {
  context = context,
  effects = effects,
  set_script = function(path) current_script = path end,
}

-- Loads a user's script as pandoc loads a filter: in its own environment over the globals, with
-- PANDOC_SCRIPT_FILE naming it. Returns what the script returned and the environment it defined names in.
function REPORT_LUA.load_script(path)
  local environment = setmetatable({}, {__index = _G})
  REPORT_LUA.set_script(path)
  PANDOC_SCRIPT_FILE = path
  local chunk, problem = loadfile(path, "t", environment)
  if chunk == nil then error(problem, 0) end
  return chunk(), environment
end
