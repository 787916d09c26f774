-- genguard for Neovim: runs `genguard serve`, declares inline-completion
-- accepts as AI edits, and shows and reviews the provenance the server keeps.
local lsp = require("genguard.lsp")
local accept = require("genguard.accept")
local provenance = require("genguard.provenance")

local M = {}

M.defaults = {
  cmd = { "genguard", "serve" },
  -- languages genguard has a grammar for; other files can be added here and
  -- get attribution and pattern rules
  filetypes = {
    "python", "javascript", "javascriptreact", "javascript.jsx", "typescript", "typescriptreact",
    "typescript.tsx", "go", "java", "rust", "c", "cpp", "cs", "ruby", "php", "sh", "bash",
  },
  root_markers = { ".git", ".genguard.toml" },
  integrations = { copilot_vim = true, copilot_lua = true, codeium = true, supermaven = true },
  blame = { human = true, align = 100 },
  on_attach = nil,
  capabilities = nil,
  handlers = nil,
}

M.options = nil

local function notify(msg, level)
  vim.notify("genguard: " .. msg, level or vim.log.levels.INFO)
end

local islist = vim.islist or vim.tbl_islist -- renamed in 0.10

local function merge(defaults, opts)
  -- lists (cmd, filetypes, root_markers) are replaced, not merged by index
  local out = vim.deepcopy(defaults)
  for k, v in pairs(opts or {}) do
    if type(v) == "table" and type(out[k]) == "table" and not islist(v) and not islist(out[k]) then
      out[k] = vim.tbl_extend("force", out[k], v)
    else
      out[k] = v
    end
  end
  return out
end

-- The server's genguard.suppress code action carries [uri, chunkId, ruleId];
-- the justification is the user's to give, so ask for it before running it.
local function suppress(command, ctx)
  local args = command.arguments or {}
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  if not client then
    return notify("the genguard client is gone", vim.log.levels.ERROR)
  end
  local function run(arguments)
    local params = { command = command.command, arguments = arguments }
    lsp.request(client, "workspace/executeCommand", params, function(err, res)
      if err or type(res) ~= "table" or not res.ok then
        local why = err and err.message or (type(res) == "table" and res.error) or "unknown error"
        return notify("suppress failed: " .. tostring(why), vim.log.levels.ERROR)
      end
      notify(("suppressed %s in chunk %s"):format(res.ruleId or arguments[3], res.chunkId or arguments[2]))
      provenance.refresh_blame(ctx.bufnr)
    end, ctx.bufnr)
  end
  if #args >= 4 then
    return run(args)
  end
  if #args ~= 3 then
    return notify("genguard.suppress expects [uri, chunkId, ruleId]", vim.log.levels.ERROR)
  end
  vim.ui.input({ prompt = ("Why is %s acceptable here? "):format(args[3]) }, function(input)
    if input == nil then
      return -- cancelled
    end
    input = vim.trim(input)
    if input == "" then
      return notify("a suppression needs a justification; nothing was suppressed", vim.log.levels.WARN)
    end
    run({ args[1], args[2], args[3], input })
  end)
end

M.commands = { ["genguard.suppress"] = suppress }

local function define_highlights()
  local ok = vim.fn.hlexists("DiagnosticOk") == 1 and "DiagnosticOk" or "DiagnosticHint" -- Ok: 0.9+
  vim.cmd("highlight default link GenguardBlameAI DiagnosticWarn")
  vim.cmd("highlight default link GenguardBlameReviewed " .. ok)
  vim.cmd("highlight default link GenguardBlameHuman Comment")
  vim.cmd("highlight default link GenguardBlameSeparator NonText")
end

local function wrap_integrations(bufnr)
  accept.wrap_integrations(M.options.integrations, bufnr)
end

function M.setup(opts)
  M.options = merge(M.defaults, opts)
  local o = M.options
  if type(o.cmd) == "string" then
    o.cmd = { o.cmd }
  end
  define_highlights()

  vim.api.nvim_create_user_command("GenguardReview", function()
    provenance.review(0)
  end, { desc = "genguard: mark the AI chunk under the cursor reviewed" })
  vim.api.nvim_create_user_command("GenguardBlame", function()
    provenance.toggle_blame(0, o.blame)
  end, { desc = "genguard: toggle AI/human marks per line" })
  vim.api.nvim_create_user_command("GenguardInfo", function()
    provenance.info(0)
  end, { desc = "genguard: provenance of the current buffer" })

  local group = vim.api.nvim_create_augroup("genguard", { clear = true })
  vim.api.nvim_create_autocmd("ColorScheme", { group = group, callback = define_highlights })
  -- assistants load at startup or lazily on InsertEnter: look for their accept
  -- functions then, after their own InsertEnter handlers have run
  vim.api.nvim_create_autocmd({ "VimEnter", "InsertEnter" }, {
    group = group,
    callback = function(args)
      vim.schedule(function()
        wrap_integrations(args.buf)
      end)
    end,
  })
  wrap_integrations(vim.api.nvim_get_current_buf())

  if vim.fn.executable(o.cmd[1]) ~= 1 then
    notify(
      ("`%s` was not found, so genguard is off. Install it with `pip install genguard` (or `pip install -e .` "
        .. "in a genguard checkout) so that `genguard` is on PATH, or point the plugin at it: "
        .. "require('genguard').setup({ cmd = { 'python3', '-m', 'genguard', 'serve' } })"):format(o.cmd[1]),
      vim.log.levels.ERROR
    )
    return false
  end
  lsp.register(o, M.commands)
  return true
end

--- Declare the text at [start, end) of `bufnr` (0-based rows, byte columns, end
--- exclusive, as nvim_buf_set_text) as written by `tool`. opts: kind
--- ("inline-completion" by default; also "chat", "agent", "paste"), model,
--- promptHash (a sha256 of the prompt, never the prompt). Returns ok, reason.
function M.declare_ai(bufnr, start_row, start_col, end_row, end_col, tool, opts)
  return accept.declare_ai(bufnr, start_row, start_col, end_row, end_col, tool, opts)
end

--- Wrap a Lua function that inserts AI text into the current buffer: what it
--- inserts (now or in a callback it schedules) is declared as `tool`'s.
--- `has_suggestion` (optional) returns false when the call will insert nothing.
--- If `fn` returns a string it is taken as expr-mapping keys in <> notation.
function M.wrap_accept(fn, tool, has_suggestion)
  return accept.wrap_function(fn, tool, has_suggestion)
end

--- copilot#Accept(...) for Lua function mappings (Neovim 0.8+; mappings whose
--- rhs is the expression `copilot#Accept(...)` are wrapped without this):
--- vim.keymap.set("i", "<C-J>", function() return require("genguard").copilot_accept("") end,
---   { expr = true, replace_keycodes = false })
function M.copilot_accept(...)
  local shown = accept.copilot_vim_has_suggestion()
  local keys = vim.fn["copilot#Accept"](...)
  return accept.wrap_keys(keys, "copilot", shown)
end

M.review = provenance.review
M.toggle_blame = provenance.toggle_blame
M.info = provenance.info

--- Fetch genguard/fileProvenance for `bufnr`; callback(result) (nil on failure).
function M.provenance(bufnr, callback)
  provenance.fetch(bufnr, callback)
end

return M
