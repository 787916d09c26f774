-- :checkhealth genguard
local M = {}

-- vim.health.start/ok/... since 0.10, report_* before, the `health` module on 0.7
local function reporter()
  local h = vim.health or require("health")
  return {
    start = h.start or h.report_start,
    ok = h.ok or h.report_ok,
    info = h.info or h.report_info,
    warn = h.warn or h.report_warn,
    error = h.error or h.report_error,
  }
end

function M.check()
  local r = reporter()
  local genguard = require("genguard")
  local lsp = require("genguard.lsp")

  r.start("genguard: Neovim")
  local v = vim.version()
  local version = ("%d.%d.%d"):format(v.major, v.minor, v.patch)
  if vim.fn.has("nvim-0.7") == 1 then
    r.ok(("Neovim %s; the client is started with %s"):format(version, lsp.launcher()))
  else
    r.error("Neovim " .. version .. " is too old: 0.7 or newer is needed")
  end

  r.start("genguard: server")
  local opts = genguard.options
  if not opts then
    r.warn("setup() has not been called", { "add require('genguard').setup() to your config" })
    opts = genguard.defaults
  end
  local exe = opts.cmd[1]
  if vim.fn.executable(exe) == 1 then
    r.ok(("`%s` found at %s (cmd: %s)"):format(exe, vim.fn.exepath(exe), table.concat(opts.cmd, " ")))
  else
    r.error(("`%s` is not executable"):format(exe), {
      "pip install genguard (or pip install -e . in a genguard checkout) so that `genguard` is on PATH",
      "or set cmd, e.g. setup({ cmd = { 'python3', '-m', 'genguard', 'serve' } })",
    })
  end

  -- :checkhealth opens its own buffer, so report on every client and the buffers it serves
  r.start("genguard: clients")
  local clients = lsp.all_clients()
  for _, client in ipairs(clients) do
    local names = {}
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.lsp.buf_is_attached(b, client.id) then
        table.insert(names, vim.fn.fnamemodify(vim.api.nvim_buf_get_name(b), ":~:."))
      end
    end
    r.ok(("client %d: root %s, position encoding %s, attached to %s"):format(client.id,
      tostring(client.config.root_dir), tostring(client.offset_encoding),
      #names > 0 and table.concat(names, ", ") or "no buffer"))
  end
  if #clients == 0 then
    r.warn("no genguard client is running", {
      "open a file of one of these filetypes: " .. table.concat(opts.filetypes, ", "),
      "see :LspInfo (0.11+: :checkhealth vim.lsp) and the LSP log: :lua vim.cmd('edit ' .. vim.lsp.get_log_path())",
    })
  end

  local config = vim.diagnostic.config() or {}
  if not config.virtual_text then
    r.info("inline diagnostics are off (the default since 0.11): vim.diagnostic.config({ virtual_text = true })")
  end

  r.start("genguard: inline completion plugins")
  local found = false
  if vim.fn.exists("*copilot#Accept") == 1 or #vim.api.nvim_get_runtime_file("autoload/copilot.vim", false) > 0 then
    r.ok("copilot.vim: accepts through mappings on copilot#Accept are declared")
    found = true
  end
  for module, name in pairs({
    ["copilot.suggestion"] = "copilot.lua",
    ["codeium.virtual_text"] = "codeium.nvim",
    ["supermaven-nvim.completion_preview"] = "supermaven-nvim",
  }) do
    if package.loaded[module] then
      r.ok(name .. ": accept functions are declared")
      found = true
    end
  end
  if vim.fn.exists("*codeium#Accept") == 1 then
    r.ok("codeium.vim: accepts through mappings on codeium#Accept are declared")
    found = true
  end
  if not found then
    r.info("none loaded; larger AI insertions are still attributed by the server's heuristic")
  end
end

return M
