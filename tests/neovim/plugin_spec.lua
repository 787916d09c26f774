-- The genguard plugin against the real `genguard serve`, in a real headless
-- Neovim. Run by tests/neovim/test_neovim.py, which makes the git repository:
--   GENGUARD_TEST_REPO  the repository (user.email dev@example.com)
--   GENGUARD_TEST_CMD   the server command, a JSON list
--   GENGUARD_TEST_LAUNCHER  optional: force "start" to run the 0.8-0.10 path
-- Prints one "ok NAME" / "not ok NAME" line per test; exits non-zero on failure.
local REPO = assert(os.getenv("GENGUARD_TEST_REPO"), "GENGUARD_TEST_REPO is not set")
local CMD = vim.fn.json_decode((assert(os.getenv("GENGUARD_TEST_CMD"), "GENGUARD_TEST_CMD is not set")))
local TIMEOUT = 15000

local genguard = require("genguard")
local glsp = require("genguard.lsp")
local text = require("genguard.text")
local provenance = require("genguard.provenance")
local forced = os.getenv("GENGUARD_TEST_LAUNCHER")
glsp.force_launcher = forced ~= "" and forced or nil

local failures = 0
-- result lines start on a line of their own: prompts and messages also reach stdout
local function out(line)
  io.stdout:write("\n" .. line .. "\n")
  io.stdout:flush()
end
vim.notify = function(msg)
  out("# notify: " .. tostring(msg):gsub("\n", " "))
end

local function test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    out("ok " .. name)
  else
    failures = failures + 1
    out("not ok " .. name)
    for l in tostring(err):gmatch("[^\n]+") do
      out("#   " .. l)
    end
  end
end

local function eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(("%s: expected %s, got %s"):format(what or "value", vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

local function wait(what, cond)
  if not vim.wait(TIMEOUT, cond, 10) then
    error("timed out waiting for " .. what, 2)
  end
end

local function request(bufnr, method, params)
  local client = assert(glsp.client(bufnr), "no genguard client")
  local done, result, error_
  glsp.request(client, method, params, function(err, res)
    done, result, error_ = true, res, err
  end, bufnr)
  wait(method, function()
    return done
  end)
  assert(not error_, vim.inspect(error_))
  return result
end

local function prov(bufnr)
  return request(bufnr, "genguard/fileProvenance", { textDocument = { uri = vim.uri_from_bufnr(bufnr) } })
end

local function chunks_by(bufnr, tool)
  local list = {}
  for _, c in ipairs(prov(bufnr).chunks) do
    if c.tool == tool then
      table.insert(list, c)
    end
  end
  return list
end

local function feed(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), "mx", false)
end

-- the byte range a chunk's LSP range covers, as text of the buffer
local function chunk_text(bufnr, chunk, encoding)
  local s, e = chunk.range.start, chunk.range["end"]
  local lines = vim.api.nvim_buf_get_lines(bufnr, s.line, e.line + 1, false)
  local sc = text.byte_col(lines[1], s.character, encoding)
  local ec = text.byte_col(lines[#lines], e.character, encoding)
  if #lines == 1 then
    return lines[1]:sub(sc + 1, ec)
  end
  lines[1] = lines[1]:sub(sc + 1)
  lines[#lines] = lines[#lines]:sub(1, ec)
  return table.concat(lines, "\n")
end

-------------------------------------------------------------------------------
test("text: units per position encoding", function()
  local s = "é✓😀x"
  eq(text.units(s, "utf-8"), 10, "utf-8")
  eq(text.units(s, "utf-16"), 5, "utf-16")
  eq(text.units(s, "utf-32"), 4, "utf-32")
  eq(text.byte_col(s, 2, "utf-16"), 5, "byte of utf-16 col 2")
  eq(text.byte_col(s, 4, "utf-16"), 9, "byte after the surrogate pair")
end)

test("text: inserted range from before/after lines", function()
  eq(text.inserted_range({ "a", "b" }, { "a", "b" }), nil, "no change")
  eq({ text.inserted_range({ "a", "b" }, { "a", "x", "y", "b" }) }, { { 1, 0, 3, 0 }, "x\ny\n" }, "lines")
  eq({ text.inserted_range({ "def f():  # é" }, { "def f():  # é", "    return 1" }) },
    { { 0, 14, 1, 12 }, "\n    return 1" }, "after a line end")
  eq({ text.inserted_range({ "x = é" }, { "x = è" }) }, { { 0, 4, 0, 6 }, "è" }, "whole characters")
  eq(text.inserted_range({ "abc", "def" }, { "abef" }), nil, "a deletion")
  eq({ text.inserted_range({ "aa" }, { "aaa" }) }, { { 0, 2, 0, 3 }, "a" }, "repeated text")
end)

test("setup: a missing executable is reported with how to fix it", function()
  local seen = {}
  local original = vim.notify
  vim.notify = function(msg, level)
    table.insert(seen, { msg = msg, level = level })
  end
  local ok, result = pcall(genguard.setup, { cmd = { "genguard-not-installed-here", "serve" } })
  vim.notify = original
  assert(ok, result)
  eq(result, false, "setup result")
  eq(#seen, 1, "notifications")
  eq(seen[1].level, vim.log.levels.ERROR, "level")
  assert(seen[1].msg:find("genguard-not-installed-here", 1, true), seen[1].msg)
  assert(seen[1].msg:find("pip install", 1, true) and seen[1].msg:find("cmd =", 1, true), seen[1].msg)
end)

local buf
test("attach: a Python buffer in a git repository gets the genguard client", function()
  eq(genguard.setup({ cmd = CMD }), true, "setup result")
  vim.cmd("edit " .. vim.fn.fnameescape(REPO .. "/app.py"))
  buf = vim.api.nvim_get_current_buf()
  eq(vim.bo[buf].filetype, "python", "filetype")
  wait("the client to attach and initialize", function()
    local c = glsp.client(buf)
    return c and c.initialized ~= false and c.server_capabilities ~= nil
  end)
  local client = glsp.client(buf)
  eq(vim.loop.fs_realpath(client.config.root_dir), vim.loop.fs_realpath(REPO), "root_dir")
  local expected = glsp.force_launcher
    or (vim.fn.has("nvim-0.11") == 1 and "config" or vim.fn.has("nvim-0.8") == 1 and "start" or "start_client")
  eq(glsp.launcher(), expected, "launcher")
  out(("#   Neovim %s, launcher %s, position encoding %s"):format(
    tostring(vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch),
    glsp.launcher(), client.offset_encoding))
  eq(#prov(buf).chunks, 0, "chunks in the new file")
end)

local function genguard_diagnostics(code)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == "genguard" and (code == nil or d.code == code) then
      table.insert(list, d)
    end
  end
  return list
end

test("diagnostics: a block inserted with nvim_buf_set_lines gets genguard findings", function()
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, {
    "# café ✓ helpers",
    "import subprocess",
    "",
  })
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, {
    "def deploy(target):",
    "    subprocess.run(\"scp build.tar \" + target + \":/srv\", shell=True)",
    "    return target",
  })
  wait("a py-subprocess-shell diagnostic", function()
    return #genguard_diagnostics("py-subprocess-shell") == 1
  end)
  local d = genguard_diagnostics("py-subprocess-shell")[1]
  eq(d.lnum, 4, "diagnostic line")
  assert(d.message:find("CWE-78", 1, true), d.message)
  eq(#genguard_diagnostics("genguard.unreviewed-ai"), 1, "unreviewed-ai diagnostics")
end)

-- tests/neovim/fixtures/copilot.vim stands in for copilot.vim's autoload functions
local FIXTURES = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h") .. "/fixtures"
vim.opt.runtimepath:append(FIXTURES .. "/copilot.vim")

local SUGGESTION = "\n    out = subprocess.check_output(cmd, shell=True)\n    return out.decode()"

test("copilot.vim: an accepted suggestion is declared and shows in fileProvenance", function()
  -- the mapping copilot.vim makes for <Tab>
  vim.cmd([[imap <script><silent><nowait><expr> <Tab> copilot#Accept()]])
  vim.cmd("doautocmd <nomodeline> VimEnter")
  wait("the <Tab> mapping to be wrapped", function()
    return vim.fn.maparg("<Tab>", "i"):find("genguard", 1, true) ~= nil
  end)
  assert(vim.fn.maparg("<Tab>", "i"):find("copilot#Accept()", 1, true), vim.fn.maparg("<Tab>", "i"))

  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "", "def run(cmd):  # déjà ✓" })
  local row = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_win_set_cursor(0, { row, 0 })
  vim.g.fake_suggestion = SUGGESTION
  feed("A<Tab><Esc>")

  local inserted = vim.api.nvim_buf_get_lines(buf, row - 1, row + 2, false)
  eq(inserted, { "def run(cmd):  # déjà ✓", "    out = subprocess.check_output(cmd, shell=True)",
    "    return out.decode()" }, "buffer after the accept")
  local client = glsp.client(buf)
  local chunk
  wait("a chunk from copilot", function()
    chunk = chunks_by(buf, "copilot")[1]
    return chunk ~= nil
  end)
  eq(chunk.method, "declared", "method")
  eq(chunk.kind, "inline-completion", "kind")
  eq(chunk.range.start, { line = row - 1, character = text.units("def run(cmd):  # déjà ✓", client.offset_encoding) },
    "range start, in the client's position encoding")
  eq(chunk_text(buf, chunk, client.offset_encoding), SUGGESTION, "chunk text")
end)

test("copilot.vim: <Tab> without a suggestion declares nothing", function()
  local before = #prov(buf).chunks
  local last = require("genguard.accept").last
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "x = 1" })
  vim.api.nvim_win_set_cursor(0, { vim.api.nvim_buf_line_count(buf), 0 })
  feed("A<Tab>  # plain<Esc>")
  local typed = vim.api.nvim_buf_get_lines(buf, -2, -1, false)[1]
  assert(typed:match("^x = 1%s+  # plain$"), "the fallback <Tab> was not typed: " .. typed)
  eq(#prov(buf).chunks, before, "chunks")
  assert(require("genguard.accept").last == last, "a declaration was sent")
  vim.api.nvim_buf_set_lines(buf, -2, -1, false, {})
end)

-- accept a two-line suggestion with `keys` at the end of a new "def NAME(host):" line
local function accept_custom(keys, name)
  local before = #chunks_by(buf, "copilot")
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "", "def " .. name .. "(host):" })
  vim.api.nvim_win_set_cursor(0, { vim.api.nvim_buf_line_count(buf), 0 })
  vim.g.fake_suggestion = "\n    return os.system('ping -c1 ' + host)\n    # checked by hand"
  feed("A" .. keys .. "<Esc>")
  eq(vim.api.nvim_buf_get_lines(buf, -4, -1, false), { "def " .. name .. "(host):",
    "    return os.system('ping -c1 ' + host)", "    # checked by hand" }, "buffer after the accept")
  wait("one more copilot chunk", function()
    return #chunks_by(buf, "copilot") == before + 1
  end)
  vim.api.nvim_buf_set_lines(buf, -5, -1, false, {})
end

test("copilot.vim: custom accept mappings made from Lua are declared", function()
  -- the form copilot.vim documents for Lua configs; wrapped on InsertEnter
  vim.keymap.set("i", "<C-J>", 'copilot#Accept("")', { expr = true, replace_keycodes = false })
  feed("i<Esc>")
  wait("<C-J> to be wrapped", function()
    return vim.fn.maparg("<C-J>", "i"):find("genguard", 1, true) ~= nil
  end)
  accept_custom("<C-J>", "ping")
  vim.keymap.del("i", "<C-J>")
  -- a Lua function mapping; Neovim 0.7 mangles special keys returned by those
  -- (copilot's own <End> included), so this form needs 0.8+
  if vim.fn.has("nvim-0.8") == 1 then
    vim.keymap.set("i", "<C-K>", function()
      return genguard.copilot_accept("")
    end, { expr = true, replace_keycodes = false })
    accept_custom("<C-K>", "pong")
    vim.keymap.del("i", "<C-K>")
  end
end)

test("copilot.lua: a scheduled accept is declared, also through a keymap made before the wrap", function()
  -- a stand-in for copilot.lua's suggestion module: accept applies the edit
  -- in a scheduled callback, as the real one does
  local fake = { visible = true }
  function fake.is_visible()
    return fake.visible
  end
  function fake.accept()
    local cursor = vim.api.nvim_win_get_cursor(0)
    vim.schedule(function()
      vim.lsp.util.apply_text_edits({ {
        range = { start = { line = cursor[1] - 1, character = 0 }, ["end"] = { line = cursor[1] - 1, character = 0 } },
        newText = "TOKEN = os.environ.get('TOKEN', '')\nHEADERS = {'Authorization': TOKEN}\n",
      } }, vim.api.nvim_get_current_buf(), "utf-8")
    end)
  end
  function fake.accept_line()
    fake.accept()
  end
  package.loaded["copilot.suggestion"] = fake
  local original_line = fake.accept_line
  vim.keymap.set("i", "<C-L>", fake.accept_line) -- captured before genguard wraps

  vim.api.nvim_buf_set_lines(buf, 2, 2, false, { "" })
  vim.api.nvim_win_set_cursor(0, { 3, 0 })
  local before = #chunks_by(buf, "copilot")
  feed("i<Esc>") -- InsertEnter: genguard looks for assistants (scheduled)
  wait("copilot.lua to be wrapped", function()
    return fake.accept_line ~= original_line
  end)
  local map
  for _, m in ipairs(vim.api.nvim_get_keymap("i")) do
    if m.lhs == "<C-L>" then
      map = m
    end
  end
  assert(map and map.callback == fake.accept_line, "the <C-L> keymap still calls the unwrapped function")

  feed("i<C-L><Esc>")
  wait("the scheduled edit", function()
    return vim.api.nvim_buf_get_lines(buf, 2, 3, false)[1] == "TOKEN = os.environ.get('TOKEN', '')"
  end)
  local client = glsp.client(buf)
  local chunk
  wait("a second chunk from copilot", function()
    local list = chunks_by(buf, "copilot")
    for _, c in ipairs(list) do
      if c.range.start.line == 2 then
        chunk = c
      end
    end
    return #list == before + 1 and chunk ~= nil
  end)
  eq(chunk_text(buf, chunk, client.offset_encoding),
    "TOKEN = os.environ.get('TOKEN', '')\nHEADERS = {'Authorization': TOKEN}\n", "chunk text")
end)

-- 0-based row of the first line containing `needle`
local function row_of(needle)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    if l:find(needle, 1, true) then
      return i - 1
    end
  end
  error("no line with " .. needle)
end

local function find_chunk(tool, line)
  for _, c in ipairs(prov(buf).chunks) do
    local first, last = provenance.rows(c)
    if c.tool == tool and first <= line and line <= last then
      return c
    end
  end
end

test(":GenguardReview marks the chunk under the cursor reviewed", function()
  local target
  for _, c in ipairs(chunks_by(buf, "copilot")) do
    if chunk_text(buf, c, glsp.client(buf).offset_encoding) == SUGGESTION then
      target = c
    end
  end
  assert(target, "the copilot.vim chunk")
  assert(target.status ~= "reviewed", "already reviewed before the command")
  vim.api.nvim_win_set_cursor(0, { target.range.start.line + 2, 6 })
  vim.cmd("GenguardReview")
  wait("the chunk to be reviewed", function()
    local c = find_chunk("copilot", target.range.start.line + 1)
    return c and c.id == target.id and c.status == "reviewed"
  end)
  local c = find_chunk("copilot", target.range.start.line + 1)
  eq(c.reviewer, "dev@example.com", "reviewer")
  local other = find_chunk("unknown", row_of("subprocess.run("))
  assert(other and other.status ~= "reviewed", "the heuristic chunk was reviewed too: " .. vim.inspect(other))
end)

local function blame_marks()
  local marks, texts = {}, {}
  for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, provenance.namespace, 0, -1, { details = true })) do
    local chunks = m[4].virt_text
    marks[m[2]] = chunks[#chunks][1]
    texts[m[2]] = chunks
  end
  return marks, texts
end

test(":GenguardBlame toggles AI/human marks per line, set apart from the code", function()
  vim.cmd("GenguardBlame")
  wait("blame marks", function()
    return next((blame_marks())) ~= nil
  end)
  local marks, texts = blame_marks()
  -- set apart from the code: a separator in its own highlight, one column for all lines
  local column
  for row, chunks in pairs(texts) do
    eq(#chunks, 2, "separator and label on line " .. (row + 1))
    local sep, hl = chunks[1][1], chunks[1][2]
    eq(hl, "GenguardBlameSeparator", "the separator's highlight")
    assert(sep:find(provenance.SEPARATOR, 1, true) and sep:match("^  +"), vim.inspect(sep))
    local line = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
    local at = vim.fn.strdisplaywidth(line) + #sep:match("^ *")
    column = column or at
    eq(at, column, "the marks' column on line " .. (row + 1))
  end
  eq(vim.fn.hlexists("GenguardBlameSeparator"), 1, "GenguardBlameSeparator is defined")
  eq(marks[0], "human", "line 1")
  eq(marks[row_of("return out.decode()")], "AI copilot ✓ dev@example.com", "a line of the reviewed chunk")
  eq(marks[row_of("HEADERS = ")], "AI copilot · unreviewed", "a line of the copilot.lua chunk")
  eq(marks[row_of("subprocess.run(")], "AI unknown · unreviewed", "a line of the pasted block")
  vim.cmd("GenguardBlame")
  eq(next((blame_marks())), nil, "marks after toggling off")
end)

test(":GenguardInfo shows the buffer's provenance in a floating window", function()
  vim.cmd("GenguardInfo")
  wait("the info window", function()
    return provenance.info_window and vim.api.nvim_win_is_valid(provenance.info_window)
  end)
  local lines = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(provenance.info_window), 0, -1, false)
  local all = table.concat(lines, "\n")
  assert(all:find("3 AI chunks", 1, true), all)
  assert(all:find("reviewed by dev@example.com", 1, true), all)
  assert(all:find("tool: ", 1, true) and all:find("status: ", 1, true), all) -- labelled fields
  assert(all:find("of this file's lines are AI-written", 1, true), all)
  assert(all:find("findings: py-subprocess-shell", 1, true), all)
  vim.api.nvim_win_close(provenance.info_window, true)
end)

test("suppress: the code action asks for a justification and sends it", function()
  local row = row_of("subprocess.run(")
  local d = vim.tbl_filter(function(x)
    return x.lnum == row
  end, genguard_diagnostics("py-subprocess-shell"))[1]
  assert(d, "no py-subprocess-shell diagnostic on the pasted block")
  local client = glsp.client(buf)
  local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1]
  local pos = { line = d.lnum, character = text.units(line:sub(1, d.col), client.offset_encoding) }
  local actions = request(buf, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = pos, ["end"] = pos },
    context = { diagnostics = {} },
  })
  local action
  for _, a in ipairs(actions) do
    if a.command and a.command.command == "genguard.suppress" then
      action = a
    end
  end
  assert(action, "no suppress action in " .. vim.inspect(actions))
  eq(#action.command.arguments, 3, "arguments from the server")
  -- offered anywhere on the finding's line: here the cursor is at its first column
  assert(d.col > 0, "the finding starts after column 0")
  local at_start = request(buf, "textDocument/codeAction", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = d.lnum, character = 0 }, ["end"] = { line = d.lnum, character = 0 } },
    context = { diagnostics = {} },
  })
  assert(#vim.tbl_filter(function(a)
    return a.command and a.command.command == "genguard.suppress"
  end, at_start) == 1, "no suppress action at column 0: " .. vim.inspect(at_start))
  -- what the user types at the vim.ui.input prompt
  vim.api.nvim_feedkeys("deploy targets come from our own inventory\r", "t", false)
  if vim.fn.has("nvim-0.8") == 1 then
    vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
    vim.lsp.buf.code_action({
      apply = true,
      filter = function(a)
        return a.command and a.command.command == "genguard.suppress"
      end,
    })
  else -- 0.7's code_action has no filter/apply: run the command as it would
    local fn = client.commands[action.command.command] or vim.lsp.commands[action.command.command]
    assert(fn, "no client-side handler for genguard.suppress")
    fn(action.command, { bufnr = buf, client_id = client.id })
  end
  wait("the suppression", function()
    for _, c in ipairs(prov(buf).chunks) do
      if vim.tbl_contains(c.suppressed or {}, "py-subprocess-shell") then
        return true
      end
    end
    return false
  end)
  wait("the diagnostic to go", function()
    return #vim.tbl_filter(function(x) return x.lnum == d.lnum end, genguard_diagnostics("py-subprocess-shell")) == 0
  end)
end)

test("integrations: an assistant turned off is not wrapped", function()
  local accept = require("genguard.accept")
  local module = "supermaven-nvim.completion_preview"
  vim.cmd("inoremap <expr> <C-g>x codeium#Accept()")
  package.loaded[module] = {
    on_accept_suggestion = function() end,
    has_suggestion = function()
      return false
    end,
  }
  local ok, err = pcall(function()
    accept.wrap_integrations({ codeium = false, supermaven = false }, buf)
    eq(vim.fn.maparg("<C-g>x", "i"), "codeium#Accept()", "the codeium mapping, turned off")
    assert(not accept.is_wrapper(package.loaded[module].on_accept_suggestion), "supermaven, turned off")
    accept.wrap_integrations({}, buf) -- control: the same assistants, turned on
    assert(vim.fn.maparg("<C-g>x", "i"):find("genguard", 1, true), vim.fn.maparg("<C-g>x", "i"))
    assert(accept.is_wrapper(package.loaded[module].on_accept_suggestion), "supermaven, turned on")
  end)
  vim.cmd("iunmap <C-g>x")
  package.loaded[module] = nil
  assert(ok, err)
end)

test("declare_ai: declares a range given by another plugin", function()
  vim.api.nvim_buf_set_lines(buf, 0, 0, false, { "SECRET = 'not-a-real-secret'  # ✓" })
  local ok, why = genguard.declare_ai(buf, 0, 0, 0, #"SECRET = 'not-a-real-secret'", "my-agent", { kind = "agent" })
  assert(ok, why)
  local found
  wait("a chunk from my-agent", function()
    found = chunks_by(buf, "my-agent")[1]
    return found ~= nil
  end)
  eq(found.kind, "agent", "kind")
  eq(chunk_text(buf, found, glsp.client(buf).offset_encoding), "SECRET = 'not-a-real-secret'", "text")
  local bad = { genguard.declare_ai(buf, 0, 0, 0, 1, "") }
  eq(bad[1], false, "empty tool")
end)

test(":checkhealth genguard reports the server and the running client", function()
  vim.cmd("checkhealth genguard")
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  vim.cmd("bwipeout!")
  assert(report:find("genguard: server", 1, true), report)
  assert(report:find(("client %d: root"):format(glsp.client(buf).id), 1, true), report)
  assert(report:find("app.py", 1, true), report)
  assert(not report:find("ERROR", 1, true), report)
end)

-------------------------------------------------------------------------------
local all_clients = vim.lsp.get_clients or vim.lsp.get_active_clients
for _, client in ipairs(all_clients()) do
  vim.lsp.stop_client(client.id)
end
vim.wait(2000, function()
  return #all_clients() == 0
end, 20)
out(("# %d failed"):format(failures))
vim.cmd(failures == 0 and "qall!" or ("cquit " .. math.min(failures, 255)))
