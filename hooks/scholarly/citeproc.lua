-- Every use the project makes of pandoc, in one script run as `pandoc lua citeproc.lua`.
-- Input (stdin) is one JSON request, output (stdout) one JSON answer; scholarly/pandoc.py
-- is the only caller. Tasks:
--
-- "cite": {bibtex, csl, chunks = [[group text, ...], ...]} ->
--   {chunks = [[{html, cites} or {problem}, ...], ...]}
--   Each group is read by pandoc's own Markdown reader: a group it does not read as one
--   citation comes back as a problem, so nothing is rendered that pandoc would not call
--   a citation. The groups of a chunk are formatted together with every entry whose
--   rendered author could be mistaken for one they cite (same first name in the author
--   position), so disambiguation ("2022a", "J. Smith") is what a run over the whole
--   bibliography decides, on every page.
-- "bibliography": {bibtex, csl} -> {entries = [{id, html}, ...]} every entry, in the
--   style's order, with the same disambiguation as the citations.
-- "styled": {styles = {label = csl path}, records = [csl-json]} ->
--   {id = {label = plain text entry}}: the cite boxes' Chicago, APA and MLA texts.
-- "csljson": {bibtex} -> {records = [csl-json, ...]}: the .bib as CSL-JSON.
local request = pandoc.json.decode(io.read("a"), false)
local stringify = pandoc.utils.stringify
local html_options = {wrap_text = "wrap-none"}

local function references_of(bibtex)
  return pandoc.read(bibtex, "biblatex").meta.references or {}
end

-- The first name that would stand in the author position of a citation, lower case:
-- entries that share it are the only ones a style may need to tell apart.
local function author_position(ref)
  for _, role in ipairs({"author", "editor", "translator", "director"}) do
    local names = ref[role]
    if names and names[1] then
      local name = names[1]
      return stringify(name.family or name.literal or name):lower()
    end
  end
  return stringify(ref["container-title"] or ref.title or ""):lower()
end

local function cite(input)
  local refs = references_of(input.bibtex)
  local by_id, alike = {}, {}
  for _, ref in ipairs(refs) do
    local id = stringify(ref.id)
    by_id[id] = ref
    local position = author_position(ref)
    alike[position] = alike[position] or {}
    table.insert(alike[position], id)
  end
  local answer = {}
  for _, chunk in ipairs(input.chunks) do
    local doc = pandoc.read(table.concat(chunk, "\n\n"), "markdown")
    local results, wanted, list = {}, {}, {}
    for index, block in ipairs(doc.blocks) do
      local inlines = block.content
      if block.t ~= "Para" or #inlines ~= 1 or inlines[1].t ~= "Cite" then
        results[index] = {problem = "not one citation"}
      else
        for _, citation in ipairs(inlines[1].citations) do
          local ref = by_id[citation.id]
          if ref then
            for _, id in ipairs(alike[author_position(ref)]) do
              if not wanted[id] then
                wanted[id] = true
                table.insert(list, by_id[id])
              end
            end
          end
        end
      end
    end
    if #doc.blocks ~= #chunk then
      error("pandoc read " .. #doc.blocks .. " blocks from " .. #chunk .. " groups")
    end
    doc.meta.references = list
    doc.meta.csl = input.csl
    doc.meta["link-citations"] = true
    local done = pandoc.utils.citeproc(doc)
    for index = 1, #chunk do
      if not results[index] then
        local cite_element = done.blocks[index].content[1]
        local keys = {}
        for _, citation in ipairs(cite_element.citations) do table.insert(keys, citation.id) end
        results[index] = {
          html = pandoc.write(pandoc.Pandoc({pandoc.Plain({cite_element})}), "html", html_options),
          cites = keys,
        }
      end
    end
    table.insert(answer, results)
  end
  return {chunks = answer}
end

local function bibliography(input)
  local doc = pandoc.Pandoc({}, {
    references = references_of(input.bibtex),
    nocite = pandoc.Inlines{pandoc.Cite({pandoc.Str("@*")},
                                        {pandoc.Citation("*", "NormalCitation")})},
    csl = input.csl,
  })
  local entries = {}
  pandoc.utils.citeproc(doc).blocks:walk({
    Div = function(div)
      local id = div.identifier:match("^ref%-(.+)$")
      if id then
        -- Inline, so that a link written after the entry stays on its line.
        local content = div.content:walk({Para = function(para) return pandoc.Plain(para.content) end})
        table.insert(entries, {id = id, html = pandoc.write(pandoc.Pandoc(content), "html", html_options)})
      end
    end,
  })
  return {entries = entries}
end

local function styled(input)
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
  return result
end

local function csljson(input)
  local doc = pandoc.read(input.bibtex, "biblatex")
  return {records = pandoc.json.decode(pandoc.write(doc, "csljson"), false)}
end

local tasks = {cite = cite, bibliography = bibliography, styled = styled, csljson = csljson}
io.write(pandoc.json.encode(tasks[request.task](request)))
