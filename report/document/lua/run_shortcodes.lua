-- Calls one Lua shortcode of an extension (report.sources.extensions) the way Quarto calls it:
-- handler(args, kwargs, meta, raw_args, context), args and kwargs as Inlines, a missing kwarg as empty Inlines.
-- The result (Inlines, Blocks, a string, or nil) becomes the document's blocks; Inlines are wrapped in a Div of
-- class report-shortcode-inlines. A Div of class report-shortcode-missing: no script defines the shortcode.

dofile(pandoc.path.join({pandoc.path.directory(PANDOC_SCRIPT_FILE), "quarto.lua"}))
local context = REPORT_LUA.context
FORMAT = context.format

local function handlers(path)
  local returned, environment = REPORT_LUA.load_script(path)
  if type(returned) == "table" then return returned end
  return environment
end

local function as_result(value)
  local kind = pandoc.utils.type(value)
  if value == nil then return pandoc.Blocks({}) end
  if type(value) == "string" or type(value) == "number" then
    return pandoc.Blocks({pandoc.Div(pandoc.Plain(pandoc.Inlines(tostring(value))),
                                     pandoc.Attr("", {"report-shortcode-inlines"}))})
  end
  if kind == "Inline" or kind == "Inlines" or (kind == "List" and #value > 0 and pandoc.utils.type(value[1]) == "Inline") then
    return pandoc.Blocks({pandoc.Div(pandoc.Plain(pandoc.Inlines(value)), pandoc.Attr("", {"report-shortcode-inlines"}))})
  end
  return pandoc.Blocks(value)
end

function Pandoc(doc)
  local call = context.call
  local args, kwargs, raw_args = pandoc.List{}, {}, pandoc.List{}
  for _, value in ipairs(call.args) do
    args:insert(pandoc.Inlines(value))
    raw_args:insert(value)
  end
  for key, value in pairs(call.kwargs) do kwargs[key] = pandoc.Inlines(value) end
  setmetatable(kwargs, {__index = function() return pandoc.Inlines({}) end})
  local meta = quarto.metadata.get("") or {}
  local blocks = nil
  for _, path in ipairs(context.scripts) do
    local handler = handlers(path)[call.name]
    if type(handler) == "function" then
      REPORT_LUA.set_script(path)
      PANDOC_SCRIPT_FILE = path
      blocks = as_result(handler(args, kwargs, meta, raw_args, {}))
      break
    end
  end
  if blocks == nil then
    blocks = pandoc.Blocks({pandoc.Div({}, pandoc.Attr("", {"report-shortcode-missing"}))})
  end
  blocks:insert(pandoc.Div({}, pandoc.Attr("", {"report-lua-effects"}, {effects = pandoc.json.encode(REPORT_LUA.effects)})))
  doc.blocks = blocks
  return doc
end
