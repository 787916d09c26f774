-- Declared AI edits: snapshot a buffer before an inline completion is
-- accepted, diff it afterwards and send genguard/aiEdit for what was inserted.
local lsp = require("genguard.lsp")
local text = require("genguard.text")

local M = {}

local KIND = "inline-completion"

local function notify(msg, level)
  vim.notify("genguard: " .. msg, level or vim.log.levels.WARN)
end

-- Declare the text now at [start, end) of `bufnr` (0-based rows, byte columns,
-- end exclusive, like nvim_buf_set_text) as written by `tool`.
-- opts: kind ("inline-completion"), model, promptHash (a sha256, never the prompt).
-- Returns true when a genguard client was told, or false and the reason.
function M.declare_ai(bufnr, start_row, start_col, end_row, end_col, tool, opts)
  opts = opts or {}
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if type(tool) ~= "string" or tool == "" then
    return false, "tool must be a non-empty string"
  end
  local clients = lsp.clients(bufnr)
  if #clients == 0 then
    return false, "no genguard client is attached to this buffer"
  end
  local lines = vim.api.nvim_buf_get_lines(bufnr, start_row, end_row + 1, false)
  if #lines ~= end_row - start_row + 1 then
    return false, "range is outside the buffer"
  end
  local uri = vim.uri_from_bufnr(bufnr)
  for _, client in ipairs(clients) do
    local enc = client.offset_encoding or "utf-16"
    local params = {
      textDocument = { uri = uri, version = lsp.version(bufnr) },
      range = {
        start = { line = start_row, character = text.units(lines[1]:sub(1, start_col), enc) },
        ["end"] = { line = end_row, character = text.units(lines[#lines]:sub(1, end_col), enc) },
      },
      tool = tool,
      kind = opts.kind or KIND,
      model = opts.model,
      promptHash = opts.promptHash,
    }
    lsp.flush(client, bufnr)
    lsp.notify(client, "genguard/aiEdit", params)
  end
  M.last = { bufnr = bufnr, range = { start_row, start_col, end_row, end_col }, tool = tool }
  require("genguard.provenance").refresh_blame(bufnr)
  return true
end

-- A snapshot taken just before an accept; `finish` declares what it inserted.
local captures, next_id = {}, 0

function M.capture(bufnr, tool, opts)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if #lsp.clients(bufnr) == 0 then
    return nil -- nothing to tell; keep accepts free for buffers genguard does not watch
  end
  next_id = next_id + 1
  -- keys from an expr mapping can be dropped before our <Cmd> runs: forget old captures
  captures[next_id - 20] = nil
  captures[next_id] = {
    bufnr = bufnr,
    tick = vim.api.nvim_buf_get_changedtick(bufnr),
    lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false),
    tool = tool,
    opts = opts,
  }
  return next_id
end

-- Declare what changed since capture `id`. Returns true when something was declared.
function M.finish(id)
  local cap = captures[id]
  captures[id] = nil
  if not cap or not vim.api.nvim_buf_is_valid(cap.bufnr) then
    return false
  end
  if vim.api.nvim_buf_get_changedtick(cap.bufnr) == cap.tick then
    return false
  end
  local after = vim.api.nvim_buf_get_lines(cap.bufnr, 0, -1, false)
  local range, inserted = text.inserted_range(cap.lines, after)
  -- a fallback <Tab> or an indent is not AI code worth a chunk
  if not range or not inserted:find("%S") then
    return false
  end
  local ok, why = M.declare_ai(cap.bufnr, range[1], range[2], range[3], range[4], cap.tool, cap.opts)
  if not ok then
    notify(why)
  end
  return ok
end

-- For accepts that apply their edit later (copilot.lua schedules it): finish
-- once the buffer has changed, or give up quietly after ~300 ms.
function M.finish_when_changed(id, tries)
  local cap = captures[id]
  if not cap then
    return
  end
  tries = tries or 30
  local function try()
    local c = captures[id]
    if not c then
      return
    end
    if vim.api.nvim_buf_is_valid(c.bufnr) and vim.api.nvim_buf_get_changedtick(c.bufnr) ~= c.tick then
      M.finish(id)
    elseif tries > 0 then
      tries = tries - 1
      vim.defer_fn(try, 10)
    else
      captures[id] = nil
    end
  end
  vim.schedule(try) -- after callbacks the accept itself has scheduled
end

local termcodes = function(keys)
  return vim.api.nvim_replace_termcodes(keys, true, false, true)
end

-- Wrap the keys an expr mapping returns: snapshot now, and append a <Cmd> that
-- finishes after Neovim has executed the keys (the buffer cannot change while
-- an expr mapping runs, so "after" must come from the typeahead itself).
-- `notation`: the keys are in <> form and will be replaced by the caller.
function M.wrap_keys(keys, tool, accepted, notation)
  if type(keys) ~= "string" or keys == "" or accepted == false then
    return keys
  end
  local id = M.capture(0, tool, { kind = KIND })
  if not id then
    return keys
  end
  local finish = "<Cmd>lua require('genguard.accept').finish(" .. id .. ")<CR>"
  return keys .. (notation and finish or termcodes(finish))
end

-- Wrap a Lua accept function (copilot.lua, supermaven, codeium.nvim, your own).
-- `has_suggestion` (optional) tells before the call whether it will insert anything.
-- A string result is taken as expr-mapping keys in <> notation.
function M.wrap_function(fn, tool, has_suggestion)
  return function(...)
    if M.busy or (has_suggestion and not has_suggestion()) then
      return fn(...) -- accept_word calling accept: the outer wrapper records it
    end
    local id = M.capture(0, tool, { kind = KIND })
    if not id then
      return fn(...)
    end
    M.busy = true
    local ok, result = pcall(fn, ...)
    M.busy = false
    if not ok then
      captures[id] = nil
      error(result, 0)
    end
    if type(result) == "string" and result ~= "" then
      return result .. "<Cmd>lua require('genguard.accept').finish(" .. id .. ")<CR>"
    end
    M.finish_when_changed(id)
    return result
  end
end

-- Vimscript accept functions used in expr mappings, and the tool they stand for.
local VIMSCRIPT = {
  { pattern = "copilot#Accept", tool = "copilot" },
  { pattern = "codeium#Accept", tool = "codeium" },
}

-- Whether copilot.vim shows a suggestion right now (true when it cannot tell).
function M.copilot_vim_has_suggestion()
  if vim.fn.exists("*copilot#GetDisplayedSuggestion") == 0 then
    return true
  end
  local ok, s = pcall(vim.fn["copilot#GetDisplayedSuggestion"])
  return not ok or type(s) ~= "table" or (s.text ~= nil and s.text ~= "")
end

local function probe_for(tool)
  if tool == "copilot" then
    return "luaeval(\"require'genguard.accept'.copilot_vim_has_suggestion()\")"
  end
  return "v:true"
end

-- Re-define an insert-mode mapping whose rhs is an accept expression so that
-- its keys go through wrap_keys. The original expression is kept verbatim (it
-- still contains "copilot#Accept", so copilot.vim will not map <Tab> again).
local function rewrap_vimscript(map, buffer)
  if map.expr ~= 1 or type(map.rhs) ~= "string" or map.rhs:find("genguard", 1, true) then
    return false
  end
  for _, known in ipairs(VIMSCRIPT) do
    if map.rhs:find(known.pattern, 1, true) then
      -- <SID> in an rhs means the defining script; from here it would mean Lua
      local rhs = map.rhs:gsub("<SID>", "<SNR>" .. tostring(map.sid) .. "_")
      local probe = probe_for(known.tool)
      -- the probe comes first in the list: the accept clears the suggestion it reads
      local wrapped = ("luaeval(\"require'genguard.accept'.wrap_keys(_A[2], _A[3], _A[1])\", [%s, %s, '%s'])")
        :format(probe, rhs, known.tool)
      local opts = {
        expr = true,
        silent = map.silent == 1,
        nowait = map.nowait == 1,
        -- <script> maps only remap script-local keys: closest is noremap
        noremap = map.noremap == 1 or map.script == 1,
      }
      if buffer then
        vim.api.nvim_buf_set_keymap(buffer, "i", map.lhs, wrapped, opts)
      else
        vim.api.nvim_set_keymap("i", map.lhs, wrapped, opts)
      end
      return true
    end
  end
  return false
end

-- Lua accept functions we replaced: original -> wrapper, so keymaps that
-- captured an original before we ran can be pointed at the wrapper.
local wrapped_functions = {}

local function rewrap_callback(map, buffer)
  local wrapper = type(map.callback) == "function" and wrapped_functions[map.callback]
  if not wrapper then
    return false
  end
  local opts = {
    expr = map.expr == 1,
    silent = map.silent == 1,
    nowait = map.nowait == 1,
    noremap = map.noremap == 1,
    callback = wrapper,
    desc = map.desc,
  }
  if map.expr == 1 and vim.fn.has("nvim-0.8") == 1 then
    opts.replace_keycodes = map.replace_keycodes ~= 0
  end
  if buffer then
    vim.api.nvim_buf_set_keymap(buffer, "i", map.lhs, "", opts)
  else
    vim.api.nvim_set_keymap("i", map.lhs, "", opts)
  end
  return true
end

-- Lua plugins: module, accept functions, and how to tell a suggestion is shown.
local LUA_PLUGINS = {
  {
    option = "copilot_lua",
    module = "copilot.suggestion",
    tool = "copilot",
    functions = { "accept", "accept_word", "accept_line" },
    probe = "is_visible",
  },
  {
    option = "supermaven",
    module = "supermaven-nvim.completion_preview",
    tool = "supermaven",
    functions = { "on_accept_suggestion", "on_accept_suggestion_word" },
    probe = "has_suggestion",
  },
  {
    option = "codeium",
    module = "codeium.virtual_text",
    tool = "codeium",
    functions = { "accept", "accept_next_word", "accept_next_line" },
    probe = "get_current_completion_item",
  },
}

local function patch_module(spec)
  local loaded = package.loaded[spec.module]
  if type(loaded) ~= "table" then
    return
  end
  local probe = type(loaded[spec.probe]) == "function" and loaded[spec.probe] or nil
  local has_suggestion = probe and function()
    local ok, r = pcall(probe)
    return not ok or (r ~= nil and r ~= false)
  end
  for _, name in ipairs(spec.functions) do
    local fn = loaded[name]
    if type(fn) == "function" and not wrapped_functions[fn] and not M.is_wrapper(fn) then
      local wrapper = M.wrap_function(fn, spec.tool, has_suggestion)
      wrapped_functions[fn] = wrapper
      M._wrappers[wrapper] = true
      loaded[name] = wrapper
    end
  end
end

M._wrappers = setmetatable({}, { __mode = "k" })
function M.is_wrapper(fn)
  return M._wrappers[fn] == true
end

-- Find the accept functions and mappings of the assistants that are loaded and
-- route them through genguard. Safe to call again: nothing is wrapped twice.
-- `enabled` maps integration names (copilot_vim, copilot_lua, codeium,
-- supermaven) to booleans.
function M.wrap_integrations(enabled, bufnr)
  enabled = enabled or {}
  for _, spec in ipairs(LUA_PLUGINS) do
    if enabled[spec.option] ~= false then
      patch_module(spec)
    end
  end
  local vimscript_ok = enabled.copilot_vim ~= false or enabled.codeium ~= false
  local function scan(maps, buffer)
    for _, map in ipairs(maps) do
      local done = false
      if vimscript_ok and map.rhs then
        local is_copilot = map.rhs:find("copilot#", 1, true)
        if (is_copilot and enabled.copilot_vim ~= false) or (not is_copilot and enabled.codeium ~= false) then
          done = rewrap_vimscript(map, buffer)
        end
      end
      if not done and map.callback then
        rewrap_callback(map, buffer)
      end
    end
  end
  scan(vim.api.nvim_get_keymap("i"), nil)
  if bufnr and vim.api.nvim_buf_is_valid(bufnr) then
    scan(vim.api.nvim_buf_get_keymap(bufnr, "i"), bufnr)
  end
end

return M
