-- Runs the user's Lua filters, in order, over the document pandoc hands this filter (report.document.lua_filters).
-- Each filter file is loaded as pandoc loads one: what it returns (a filter or a list of filters), else the
-- global functions it defines. The engine's `quarto` module is loaded first; what the filters did through it
-- (warnings, HTML dependencies, includes) goes back to Python in a last Div.

dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "quarto.lua"}))
local context = REPORT_LUA.context
FORMAT = context.format

local function load_filters(path)
  local returned, environment = REPORT_LUA.load_script(path)
  if type(returned) == "table" then
    if returned[1] ~= nil then return returned end
    if next(returned) ~= nil then return {returned} end
  end
  local globals = {}
  for name, value in pairs(environment) do
    if type(value) == "function" and string.match(name, "^%u") then globals[name] = value end
  end
  return {globals}
end

function Pandoc(doc)
  for _, path in ipairs(context.filters) do
    for _, filter in ipairs(load_filters(path)) do
      REPORT_LUA.set_script(path)
      PANDOC_SCRIPT_FILE = path
      local result = doc:walk(filter)
      if result ~= nil then doc = result end
    end
  end
  local effects = pandoc.json.encode(REPORT_LUA.effects)
  doc.blocks:insert(pandoc.Div({}, pandoc.Attr("", {"report-lua-effects"}, {effects = effects})))
  return doc
end
