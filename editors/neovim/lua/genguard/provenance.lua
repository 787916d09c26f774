-- genguard/fileProvenance and what is built on it: review, blame, info.
local lsp = require("genguard.lsp")
local text = require("genguard.text")

local M = {}

local ns = vim.api.nvim_create_namespace("genguard_blame")
M.namespace = ns

local function notify(msg, level)
  vim.notify("genguard: " .. msg, level or vim.log.levels.INFO)
end

local function current(bufnr)
  return (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
end

-- Ask for the provenance of `bufnr`; `callback(result, client)` gets nil on failure.
function M.fetch(bufnr, callback)
  bufnr = current(bufnr)
  local client = lsp.client(bufnr)
  if not client then
    notify("no genguard client is attached to this buffer (see :checkhealth genguard)", vim.log.levels.WARN)
    return callback(nil)
  end
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }
  lsp.request(client, "genguard/fileProvenance", params, function(err, result)
    if err or type(result) ~= "table" then
      notify("fileProvenance failed: " .. tostring(err and err.message or err), vim.log.levels.ERROR)
      return callback(nil, client)
    end
    callback(result, client)
  end, bufnr)
end

-- Rows (0-based) a chunk's range covers; an end at column 0 does not take its line.
local function rows(chunk)
  local s, e = chunk.range.start, chunk.range["end"]
  local last = e.line
  if e.character == 0 and e.line > s.line then
    last = last - 1
  end
  return s.line, last
end
M.rows = rows

-- The live chunk at (row, byte col) of `bufnr`: the smallest one whose range
-- holds the position, else the smallest one covering the row.
function M.chunk_at(result, bufnr, row, col, encoding)
  local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ""
  local character = text.units(line:sub(1, col), encoding or "utf-16")
  local function before(a, b) -- position a <= b
    return a.line < b.line or (a.line == b.line and a.character <= b.character)
  end
  local here = { line = row, character = character }
  local best, best_score
  for _, chunk in ipairs(result.chunks or {}) do
    local first, last = rows(chunk)
    local score
    if before(chunk.range.start, here) and before(here, chunk.range["end"]) then
      score = { 0, last - first }
    elseif first <= row and row <= last then
      score = { 1, last - first }
    end
    if score and (not best or score[1] < best_score[1] or (score[1] == best_score[1] and score[2] < best_score[2])) then
      best, best_score = chunk, score
    end
  end
  return best
end

-- :GenguardReview: mark the chunk under the cursor reviewed.
function M.review(bufnr, done)
  bufnr = current(bufnr)
  local cursor = vim.api.nvim_win_get_cursor(0)
  M.fetch(bufnr, function(result, client)
    if not result then
      return done and done(false)
    end
    local chunk = M.chunk_at(result, bufnr, cursor[1] - 1, cursor[2], client.offset_encoding)
    if not chunk then
      notify("no AI chunk under the cursor")
      return done and done(false)
    end
    if chunk.status == "reviewed" then
      notify(("chunk %s is already reviewed by %s"):format(chunk.id, chunk.reviewer or "?"))
      return done and done(true)
    end
    local params = { command = "genguard.markReviewed", arguments = { result.uri or vim.uri_from_bufnr(bufnr), chunk.id } }
    lsp.request(client, "workspace/executeCommand", params, function(err, res)
      local ok = not err and type(res) == "table" and res.ok
      if ok then
        local first, last = rows(chunk)
        notify(("reviewed lines %d-%d (%s) as %s"):format(first + 1, last + 1, chunk.tool, res.reviewer or "?"))
        M.refresh_blame(bufnr)
      else
        local why = err and err.message or (type(res) == "table" and res.error) or "unknown error"
        notify("review failed: " .. tostring(why), vim.log.levels.ERROR)
      end
      if done then
        done(ok)
      end
    end, bufnr)
  end)
end

-- :GenguardBlame: per-line AI/human marks as virtual text after the code,
-- set apart from it: a separator in its own highlight, and the marks of all
-- lines lined up in one column past the longest line (up to `align`
-- columns; longer lines get theirs after a gap).
local blame_on = {}

M.SEPARATOR = "│ "

local function status_label(chunk)
  local label = "AI " .. (chunk.tool or "unknown")
  if chunk.status == "reviewed" then
    label = label .. " ✓ " .. (chunk.reviewer or "reviewed")
  else
    label = label .. " · " .. (chunk.status or "unreviewed")
  end
  return label
end

-- The virtual text of one line: padding to the marks' column, the separator, the label.
local function blame_text(width, column, label, hl)
  local pad = math.max(column - width, 0) + 2
  return { { string.rep(" ", pad) .. M.SEPARATOR, "GenguardBlameSeparator" }, { label, hl } }
end

function M.render_blame(bufnr, result, opts)
  opts = type(opts) == "table" and opts or { human = opts }
  local show_human = opts.human ~= false
  local align = tonumber(opts.align) or 100
  vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
  local count = vim.api.nvim_buf_line_count(bufnr)
  local ai = {}
  for _, chunk in ipairs(result.chunks or {}) do
    local first, last = rows(chunk)
    for row = first, math.min(last, count - 1) do
      ai[row] = ai[row] or chunk -- the first chunk listed wins a shared line
    end
  end
  local widths, column = {}, 0
  for row, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    widths[row - 1] = vim.fn.strdisplaywidth(line)
    if widths[row - 1] <= align then
      column = math.max(column, widths[row - 1])
    end
  end
  for row = 0, count - 1 do
    local chunk = ai[row]
    local label, hl
    if chunk then
      label = status_label(chunk)
      hl = chunk.status == "reviewed" and "GenguardBlameReviewed" or "GenguardBlameAI"
    elseif show_human then
      label, hl = "human", "GenguardBlameHuman"
    end
    if label then
      vim.api.nvim_buf_set_extmark(bufnr, ns, row, 0, {
        virt_text = blame_text(widths[row] or 0, column, label, hl),
        virt_text_pos = "eol",
        hl_mode = "combine",
      })
    end
  end
end

function M.blame_enabled(bufnr)
  return blame_on[current(bufnr)] ~= nil
end

function M.refresh_blame(bufnr, done)
  bufnr = current(bufnr)
  local opts = blame_on[bufnr]
  if not opts then
    return done and done(false)
  end
  M.fetch(bufnr, function(result)
    if result and blame_on[bufnr] and vim.api.nvim_buf_is_valid(bufnr) then
      M.render_blame(bufnr, result, opts)
    end
    if done then
      done(result ~= nil)
    end
  end)
end

function M.toggle_blame(bufnr, opts, done)
  bufnr = current(bufnr)
  if blame_on[bufnr] then
    blame_on[bufnr] = nil
    vim.api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
    pcall(vim.api.nvim_del_augroup_by_name, "genguard_blame_" .. bufnr)
    return done and done(false)
  end
  opts = opts or {}
  blame_on[bufnr] = { human = opts.human ~= false, align = opts.align }
  -- follow edits; the request is cheap, and marks lag at most one change
  local group = vim.api.nvim_create_augroup("genguard_blame_" .. bufnr, { clear = true })
  vim.api.nvim_create_autocmd({ "InsertLeave", "TextChanged" }, {
    group = group,
    buffer = bufnr,
    callback = function()
      M.refresh_blame(bufnr)
    end,
  })
  vim.api.nvim_create_autocmd("BufWipeout", {
    group = group,
    buffer = bufnr,
    callback = function()
      blame_on[bufnr] = nil
    end,
  })
  M.refresh_blame(bufnr, done)
end

-- :GenguardInfo: the provenance of the buffer as lines of text.
function M.describe(result)
  local lines = {}
  local chunks = result.chunks or {}
  local share = ("%.1f%% of this file's lines are AI-written"):format((result.aiShare or 0) * 100)
  if result.aiLines and result.totalLines then
    share = share .. (" (%d of %d lines"):format(result.aiLines, result.totalLines)
    if result.aiByteShare then
      share = share .. ("; %.1f%% of its bytes"):format(result.aiByteShare * 100)
    end
    share = share .. ")"
  end
  table.insert(lines, ("genguard: %d AI chunk%s, %s"):format(
    #chunks, #chunks == 1 and "" or "s", share))
  for _, c in ipairs(chunks) do
    local first, last = rows(c)
    local function field(label, value)
      if value == nil or value == vim.NIL then
        return nil
      end
      return label .. ": " .. tostring(value)
    end
    local parts = {
      ("lines: %d-%d"):format(first + 1, last + 1),
      field("tool", c.tool or "unknown"),
      field("model", c.model),
      field("method", c.method),
      field("kind", c.kind),
      c.status == "reviewed" and ("status: reviewed by " .. tostring(c.reviewer))
        or ("status: " .. (c.status or "unreviewed")),
    }
    -- parts has holes; walk it by index to keep the order
    local shown = {}
    for i = 1, 6 do
      if parts[i] and parts[i] ~= vim.NIL then
        table.insert(shown, tostring(parts[i]))
      end
    end
    table.insert(lines, "  " .. table.concat(shown, " · "))
    if c.findings and #c.findings > 0 then
      table.insert(lines, "    findings: " .. table.concat(c.findings, ", "))
    end
    if c.suppressed and #c.suppressed > 0 then
      table.insert(lines, "    suppressed: " .. table.concat(c.suppressed, ", "))
    end
    if type(c.humanEditedShare) == "number" and c.humanEditedShare > 0 then
      table.insert(lines, ("    edited by hand: %.0f%%"):format(c.humanEditedShare * 100))
    end
  end
  return lines
end

M.info_window = nil

function M.info(bufnr, done)
  bufnr = current(bufnr)
  M.fetch(bufnr, function(result)
    if not result then
      return done and done(nil)
    end
    local lines = M.describe(result)
    local _, win = vim.lsp.util.open_floating_preview(lines, "", { border = "rounded", focus_id = "genguard_info" })
    M.info_window = win
    if done then
      done(lines, win)
    end
  end)
end

return M
