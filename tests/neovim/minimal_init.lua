-- Neovim started for the plugin tests: no user config, no other plugins, only
-- editors/neovim on the runtimepath.
local here = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
local root = vim.fn.fnamemodify(here, ":h:h")
vim.opt.runtimepath:prepend(root .. "/editors/neovim")
vim.opt.swapfile = false
vim.opt.shadafile = "NONE"
vim.opt.more = false
vim.cmd("filetype on")
