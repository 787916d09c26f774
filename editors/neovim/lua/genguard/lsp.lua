-- Starting the genguard client and talking to it, on Neovim 0.7 through 0.11+.
-- Each API difference between versions is handled here and nowhere else.
local M = {}

M.name = "genguard"

local has = function(feature)
  return vim.fn.has(feature) == 1
end

-- Which launcher this Neovim has: "config" (vim.lsp.config/enable, 0.11+),
-- "start" (vim.lsp.start, 0.8-0.10) or "start_client" (0.7).
function M.launcher()
  if M.force_launcher then -- lets the tests run an older code path on a newer Neovim
    return M.force_launcher
  end
  if has("nvim-0.11") and vim.lsp.config and vim.lsp.enable then
    return "config"
  elseif vim.lsp.start then
    return "start"
  end
  return "start_client"
end

-- Client methods became `client:method()` in 0.11; the dot form is deprecated there.
local colon = has("nvim-0.11")

function M.notify(client, method, params)
  if colon then
    return client:notify(method, params)
  end
  return client.notify(method, params)
end

function M.request(client, method, params, handler, bufnr)
  if colon then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

-- genguard clients attached to `bufnr` (0 = current).
function M.clients(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local list
  if vim.lsp.get_clients then
    list = vim.lsp.get_clients({ bufnr = bufnr, name = M.name })
  elseif has("nvim-0.8") then
    list = vim.lsp.get_active_clients({ bufnr = bufnr, name = M.name })
  else
    list = {}
    for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if client.name == M.name then
        table.insert(list, client)
      end
    end
  end
  return list
end

-- Every running genguard client, attached anywhere.
function M.all_clients()
  local list = {}
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, client in ipairs(get()) do
    if client.name == M.name then
      table.insert(list, client)
    end
  end
  return list
end

function M.client(bufnr)
  return M.clients(bufnr)[1]
end

-- The version Neovim last sent in didOpen/didChange for `bufnr`.
function M.version(bufnr)
  return vim.lsp.util.buf_versions[bufnr] or vim.api.nvim_buf_get_changedtick(bufnr)
end

-- Send any didChange still waiting in Neovim's change tracker, so that a
-- genguard/aiEdit for the new text never reaches the server before the text.
-- The genguard client runs without debounce, so this is a second safety net;
-- the tracker is only reachable on 0.10+.
function M.flush(client, bufnr)
  local ok, changetracking = pcall(require, "vim.lsp._changetracking")
  if ok and type(changetracking.flush) == "function" then
    pcall(changetracking.flush, client, bufnr)
  end
end

-- Nearest ancestor directory of `path` holding one of `markers`, or nil.
-- Written out because vim.fs (0.8+) is missing on 0.7.
function M.find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while dir and dir ~= "" do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      break
    end
    dir = parent
  end
  return nil
end

-- Neovim sends the filetype as languageId; genguard knows C# as "csharp".
local LANGUAGE_IDS = { cs = "csharp", ["javascript.jsx"] = "javascriptreact", ["typescript.tsx"] = "typescriptreact" }

local function get_language_id(_, filetype)
  return LANGUAGE_IDS[filetype] or filetype
end

-- The client configuration shared by every launcher.
function M.client_config(opts, commands)
  local config = {
    name = M.name,
    cmd = opts.cmd,
    filetypes = opts.filetypes,
    get_language_id = get_language_id,
    commands = commands,
    -- genguard checks each change as it arrives and wants it at once; a debounced
    -- didChange would also arrive after the genguard/aiEdit that refers to it
    flags = { debounce_text_changes = 0 },
    on_attach = opts.on_attach,
    capabilities = opts.capabilities,
    handlers = opts.handlers,
  }
  return config
end

local started = {} -- 0.7: client id per root, since start_client never reuses

local function buffer_root(bufnr, opts)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return nil
  end
  return M.find_root(name, opts.root_markers) or vim.fn.fnamemodify(name, ":p:h")
end

-- Attach `bufnr` on the 0.7-0.10 launchers (the 0.11 one attaches by itself).
function M.attach(bufnr, opts, commands)
  if vim.bo[bufnr].buftype ~= "" then
    return nil
  end
  local root = buffer_root(bufnr, opts)
  if not root then
    return nil
  end
  local config = M.client_config(opts, commands)
  config.root_dir = root
  config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
  if M.launcher() == "start" then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = started[root]
  if not id or not vim.lsp.get_client_by_id(id) or vim.lsp.get_client_by_id(id).is_stopped() then
    id = vim.lsp.start_client(config)
    started[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

-- Register the client: vim.lsp.config + vim.lsp.enable on 0.11+, otherwise a
-- FileType autocommand that attaches each matching buffer (and those already open).
function M.register(opts, commands)
  if M.launcher() == "config" then
    local config = M.client_config(opts, commands)
    config.root_markers = opts.root_markers
    vim.lsp.config(M.name, config)
    vim.lsp.enable(M.name)
    return
  end
  local group = vim.api.nvim_create_augroup("genguard_lsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      M.attach(args.buf, opts, commands)
    end,
  })
  local wanted = {}
  for _, ft in ipairs(opts.filetypes) do
    wanted[ft] = true
  end
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and wanted[vim.bo[bufnr].filetype] then
      M.attach(bufnr, opts, commands)
    end
  end
end

return M
