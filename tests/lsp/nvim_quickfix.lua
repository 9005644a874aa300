-- Driven by tests/lsp/test_lsp_neovim.py: a real Neovim (0.7+) opens a file, gets the
-- server's diagnostic, applies its quick fix and writes the file back to disk.
local file = os.getenv("HOMEOSTASIS_TEST_FILE")
local out_path = os.getenv("HOMEOSTASIS_TEST_OUT")
local cmd = vim.fn.json_decode(os.getenv("HOMEOSTASIS_TEST_CMD"))
local wanted = os.getenv("HOMEOSTASIS_TEST_ACTION")
local report = { diagnostics = {}, titles = {} }

local function finish()
  local handle = io.open(out_path, "w")
  handle:write(vim.fn.json_encode(report))
  handle:close()
  vim.cmd("qa!")
end

local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "homeostasis",
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(file, ":h"),
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  if not vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
    error("no diagnostics arrived")
  end
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(report.diagnostics, { code = d.code, lnum = d.lnum, col = d.col, end_col = d.end_col, message = d.message })
  end
  local first = vim.diagnostic.get(bufnr)[1]
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = first.lnum, character = first.col }, ["end"] = { line = first.lnum, character = first.col } },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, first.lnum) },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 20000)
  local chosen = nil
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(report.titles, action.title)
      if chosen == nil and string.find(action.title, wanted, 1, true) then
        chosen = action
      end
    end
  end
  if chosen == nil then
    error("no code action titled " .. wanted)
  end
  if chosen.edit == nil then
    local resolved = client.request_sync("codeAction/resolve", chosen, 20000, bufnr)
    chosen = resolved.result
  end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  vim.cmd("write")
  report.applied = chosen.title
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end)
if not ok then
  report.error = tostring(err)
end
finish()
