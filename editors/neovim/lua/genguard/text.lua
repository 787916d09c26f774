-- Pure text helpers: LSP position units and the range an edit inserted.
-- No Neovim API here, so the same code runs on every supported version.
local M = {}

-- Length of the UTF-8 string `s` in the units of an LSP position encoding.
-- Computed by hand because vim.str_utfindex changed its signature in 0.11.
function M.units(s, encoding)
  if encoding == "utf-8" then
    return #s
  end
  local n = 0
  for i = 1, #s do
    local b = s:byte(i)
    if b < 0x80 or b >= 0xC0 then -- ASCII or a lead byte starts a character
      n = n + ((encoding == "utf-16" and b >= 0xF0) and 2 or 1)
    end
  end
  return n
end

-- Byte index in `s` of a column given in `encoding` units (clamped to #s).
function M.byte_col(s, units, encoding)
  if encoding == "utf-8" then
    return math.min(units, #s)
  end
  local n, i = 0, 1
  while i <= #s and n < units do
    local b = s:byte(i)
    local len = b >= 0xF0 and 4 or b >= 0xE0 and 3 or b >= 0xC0 and 2 or 1
    n = n + ((encoding == "utf-16" and len == 4) and 2 or 1)
    i = i + len
  end
  return math.min(i - 1, #s)
end

local function is_continuation(str, i)
  local b = str:byte(i)
  return b ~= nil and b >= 0x80 and b < 0xC0
end

-- The text that is in `after` but not in `before` (both lists of lines), as
-- 0-based {start_row, start_col, end_row, end_col} in bytes, end exclusive;
-- nil when nothing was inserted. Lines are compared first so that a large
-- buffer costs one pass of string equality, then bytes in the changed part.
function M.inserted_range(before, after)
  local nb, na = #before, #after
  local top = 0
  while top < nb and top < na and before[top + 1] == after[top + 1] do
    top = top + 1
  end
  if top == nb and top == na then
    return nil
  end
  local bottom = 0
  while bottom < nb - top and bottom < na - top and before[nb - bottom] == after[na - bottom] do
    bottom = bottom + 1
  end
  local B = table.concat(before, "\n")
  local A = table.concat(after, "\n")
  -- bytes before line `top` are equal in both texts
  local p = 0
  for i = 1, top do
    p = p + #after[i] + 1
  end
  p = math.min(p, #A, #B)
  while p < #A and p < #B and A:byte(p + 1) == B:byte(p + 1) do
    p = p + 1
  end
  local s = 0
  for i = na - bottom + 1, na do
    s = s + #after[i] + 1
  end
  s = math.min(s, #A - p, #B - p)
  while s < #A - p and s < #B - p and A:byte(#A - s) == B:byte(#B - s) do
    s = s + 1
  end
  -- never split a character: widen the range to whole UTF-8 sequences
  while p > 0 and is_continuation(A, p + 1) do
    p = p - 1
  end
  while s > 0 and is_continuation(A, #A - s + 1) do
    s = s - 1
  end
  local e = #A - s
  if e <= p then
    return nil -- a pure deletion inserts nothing
  end
  local function position(offset)
    local row, start = 0, 0
    for i = 1, na do
      local stop = start + #after[i]
      if offset <= stop then
        return row, offset - start
      end
      start = stop + 1
      row = row + 1
    end
    return na - 1, #after[na]
  end
  local sr, sc = position(p)
  local er, ec = position(e)
  return { sr, sc, er, ec }, A:sub(p + 1, e)
end

return M
