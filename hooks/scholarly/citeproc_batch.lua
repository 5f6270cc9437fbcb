-- Formats many CSL records with several CSL styles in one pandoc process: one
-- citeproc pass per style, each record's entry then read from its "ref-<id>" div.
-- Input (stdin): {"styles": {"label": "path.csl"}, "records": [csl-json record...]}.
-- Output (stdout): {"record id": {"label": "plain text bibliography entry"}}.
local input = pandoc.json.decode(io.read("a"), false)
local options = {columns = 100000, wrap_text = "wrap-none"}
local result = {}
for _, record in ipairs(input.records) do
  result[record.id] = {}
end
for label, path in pairs(input.styles) do
  local doc = pandoc.Pandoc({}, {
    references = input.records,
    nocite = pandoc.Inlines{pandoc.Cite({pandoc.Str("@*")},
                                        {pandoc.Citation("*", "NormalCitation")})},
    csl = path,
  })
  pandoc.utils.citeproc(doc).blocks:walk({
    Div = function(div)
      local id = div.identifier:match("^ref%-(.+)$")
      if id and result[id] then
        local text = pandoc.write(pandoc.Pandoc(div.content), "plain", options)
        result[id][label] = text:gsub("%s+$", "")
      end
    end,
  })
end
io.write(pandoc.json.encode(result))
