-- Every use the project makes of pandoc, in one script run as `pandoc lua citeproc.lua`.
-- Input (stdin) is one JSON request, output (stdout) one JSON answer; scholarly/pandoc.py
-- is the only caller. Tasks:
--
-- "cite": {bibtex, csl, chunks = [[group text, ...], ...]} ->
--   {chunks = [[{html} or {problem}, ...], ...]}
--   Each group is read by pandoc's own Markdown reader: a group it does not read as one
--   citation comes back as a problem, so nothing is rendered that pandoc would not call
--   a citation. The groups of a chunk are formatted together with every entry whose
--   rendered author could be mistaken for one they cite (same first name in the author
--   position), cited as well, so disambiguation ("2022a", "J. Smith") is what a run
--   over the whole bibliography decides, on every page.
-- "bibliography": {bibtex, csl, run_length} -> {entries = [{id, html}, ...]} every
--   entry, in the style's order, with the same disambiguation as the citations.
-- "styled": {styles = {label = csl path}, records = [csl-json]} ->
--   {id = {label = plain text entry}}: the cite boxes' Chicago, APA and MLA texts.
-- "csljson": {bibtex} -> {records = [csl-json, ...]}: the .bib as CSL-JSON.
local request = pandoc.json.decode(io.read("a"), false)
local stringify = pandoc.utils.stringify
local html_options = {wrap_text = "wrap-none"}

-- Each content (a list of blocks) written as FORMAT, in one call: pandoc's writer
-- costs about as much to start as to write one entry, so a run's entries are written
-- together, a separator paragraph between two, and cut apart again.
local SEPARATOR = "\u{2042}scholarly\u{2042}"
local function write_each(contents, format, options)
  if #contents == 0 then return {} end
  local blocks = pandoc.Blocks{}
  for index, content in ipairs(contents) do
    if index > 1 then blocks:insert(pandoc.Para{pandoc.Str(SEPARATOR)}) end
    blocks:extend(content)
  end
  local text = pandoc.write(pandoc.Pandoc(blocks), format, options)
  local needle = format == "html" and "<p>" .. SEPARATOR .. "</p>" or SEPARATOR
  local parts, start = {}, 1
  while true do
    local from, to = text:find(needle, start, true)
    local part = text:sub(start, (from or #text + 1) - 1)
    table.insert(parts, (part:gsub("^%s+", ""):gsub("%s+$", "")))
    if not from then break end
    start = to + 1
  end
  if #parts ~= #contents then
    error("an entry holds the separator the writer's output is cut at")
  end
  return parts
end

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

-- The year a citation shows (four digits of the issued date), or "".
local function year_of(ref)
  return stringify(ref.issued or ""):match("%d%d%d%d") or ""
end

-- The first author's whole name, as the style may spell it out to tell authors apart.
local function first_person(ref)
  for _, role in ipairs({"author", "editor", "translator", "director"}) do
    local names = ref[role]
    if names and names[1] then return stringify(names[1]) end
  end
  return ""
end

-- Whether a citation of CITE holds another citation in its prefix or suffix.
local function nested_cite(cite)
  for _, citation in ipairs(cite.citations) do
    for _, part in ipairs({citation.prefix, citation.suffix}) do
      for _, inline in ipairs(part) do
        if inline.t == "Cite" then return true end
      end
    end
  end
  return false
end

-- A copy of the style CSL, changed by EDIT (a function of its text), written where
-- pandoc reads it: pandoc names a style file by a path ending in .csl, so the copy
-- is written beside the empty file os.tmpname makes. Returns the copy's path and a
-- function that removes both files.
local function style_copy(csl, edit)
  local file, problem = io.open(csl)
  if not file then error(problem, 0) end
  local style = edit(file:read("a"))
  file:close()
  local reserved = os.tmpname()
  local path = reserved .. ".csl"
  file = io.open(path, "w")
  file:write(style)
  file:close()
  return path, function()
    os.remove(path)
    os.remove(reserved)
  end
end

-- The style with a bibliography that prints each entry's key alone: its sort (which
-- decides the order of year suffixes) stays, the entries' layout, which citations
-- never read, is not worked out for nothing.
local function key_layout(style)
  return (style:gsub("(<bibliography[^>]*>.-)<layout.-</layout>",
                     '%1<layout><text variable="citation-key"/></layout>'))
end

local function cite(input)
  local refs = references_of(input.bibtex)
  -- What a style may need to tell an entry's citation apart from: entries whose first
  -- name in the author position is alike and whose year is the same (year suffixes,
  -- more names, given names), and one entry of each other person of that name (a
  -- given name added to tell people apart, which depends only on who they are).
  local by_id, same_year, each_person = {}, {}, {}
  for _, ref in ipairs(refs) do
    local id = stringify(ref.id)
    by_id[id] = ref
    local position = author_position(ref)
    same_year[position] = same_year[position] or {}
    local year = year_of(ref)
    same_year[position][year] = same_year[position][year] or {}
    table.insert(same_year[position][year], id)
    each_person[position] = each_person[position] or {seen = {}, ids = {}}
    local person = first_person(ref)
    if not each_person[position].seen[person] then
      each_person[position].seen[person] = true
      table.insert(each_person[position].ids, id)
    end
  end
  local function alike(ref)
    local position = author_position(ref)
    local found = {}
    for _, id in ipairs(same_year[position][year_of(ref)]) do table.insert(found, id) end
    for _, id in ipairs(each_person[position].ids) do table.insert(found, id) end
    return found
  end
  local csl, remove_copy = style_copy(input.csl, key_layout)
  local answer = {}
  local ok, problem = pcall(function()
    for _, chunk in ipairs(input.chunks) do
      local doc = pandoc.read(table.concat(chunk, "\n\n"), "markdown")
      local results, wanted, list = {}, {}, {}
      for index, block in ipairs(doc.blocks) do
        local inlines = block.content
        if block.t ~= "Para" or #inlines ~= 1 or inlines[1].t ~= "Cite" then
          results[index] = {problem = "not one citation"}
        elseif nested_cite(inlines[1]) then
          -- citeproc formats a citation inside another's prefix or suffix
          -- ("[@a, quoted in @b]") as the inner one alone: never published.
          results[index] = {problem = "nested citation"}
        else
          for _, citation in ipairs(inlines[1].citations) do
            local ref = by_id[citation.id]
            if ref then
              for _, id in ipairs(alike(ref)) do
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
      -- Cited too: disambiguation looks at cited entries only, and each of these is cited
      -- somewhere on the site (an entry no page cites fails the build), and is in the
      -- bibliography every page's list is taken from.
      local also = {}
      for _, ref in ipairs(list) do
        table.insert(also, pandoc.Citation(stringify(ref.id), "NormalCitation"))
      end
      doc.meta.nocite = pandoc.Inlines{pandoc.Cite({}, also)}
      doc.meta.csl = csl
      doc.meta["link-citations"] = true
      local done = pandoc.utils.citeproc(doc)
      local formatted, contents = {}, {}
      for index = 1, #chunk do
        if not results[index] then
          table.insert(formatted, index)
          table.insert(contents, {pandoc.Plain({done.blocks[index].content[1]})})
        end
      end
      for position, html in ipairs(write_each(contents, "html", html_options)) do
        results[formatted[position]] = {html = html}
      end
      table.insert(answer, results)
    end
  end)
  remove_copy()
  if not ok then error(problem) end
  return {chunks = answer}
end

local cite_all = pandoc.Inlines{pandoc.Cite({pandoc.Str("@*")},
                                          {pandoc.Citation("*", "NormalCitation")})}

-- The style's bibliography order of REFS: the style itself, with nothing to
-- disambiguate and a layout of the key alone, so that only its sort is at work.
local function style_order(refs, csl)
  local path, remove = style_copy(csl, function(style)
    return key_layout((style:gsub('disambiguate%-add%-[%w%-]+="true"', "")))
  end)
  local order = {}
  local ok, problem = pcall(function()
    pandoc.utils.citeproc(pandoc.Pandoc({}, {references = refs, nocite = cite_all, csl = path}))
      .blocks:walk({Div = function(div)
        local id = div.identifier:match("^ref%-(.+)$")
        if id then table.insert(order, id) end
      end})
  end)
  remove()
  if not ok then error(problem) end
  return order
end

-- Every entry, in the style's order. Formatted in runs of entries whose authors could
-- be mistaken for each other (all of them in one run: citeproc's time grows with the
-- square of the entries of a run), so each entry reads as a run over the whole
-- bibliography would have it.
local function bibliography(input)
  local refs = references_of(input.bibtex)
  local alike, positions = {}, {}
  for _, ref in ipairs(refs) do
    local position = author_position(ref)
    if not alike[position] then
      alike[position] = {}
      table.insert(positions, position)
    end
    table.insert(alike[position], ref)
  end
  local html = {}
  local run = {}
  local function format_run()
    if #run == 0 then return end
    local doc = pandoc.Pandoc({}, {references = run, nocite = cite_all, csl = input.csl})
    local ids, contents = {}, {}
    pandoc.utils.citeproc(doc).blocks:walk({
      Div = function(div)
        local id = div.identifier:match("^ref%-(.+)$")
        if id then
          table.insert(ids, id)
          -- Inline, so that a link written after the entry stays on its line.
          table.insert(contents, div.content:walk({
            Para = function(para) return pandoc.Plain(para.content) end}))
        end
      end,
    })
    for index, text in ipairs(write_each(contents, "html", html_options)) do
      html[ids[index]] = text
    end
    run = {}
  end
  for _, position in ipairs(positions) do
    if #run + #alike[position] > input.run_length then format_run() end
    for _, ref in ipairs(alike[position]) do table.insert(run, ref) end
  end
  format_run()
  local entries = {}
  for _, id in ipairs(style_order(refs, input.csl)) do
    table.insert(entries, {id = id, html = html[id]})
  end
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
    local ids, contents = {}, {}
    pandoc.utils.citeproc(doc).blocks:walk({
      Div = function(div)
        local id = div.identifier:match("^ref%-(.+)$")
        if id and result[id] then
          table.insert(ids, id)
          table.insert(contents, div.content)
        end
      end,
    })
    for index, text in ipairs(write_each(contents, "plain", options)) do
      result[ids[index]][label] = text
    end
  end
  return result
end

local function csljson(input)
  local doc = pandoc.read(input.bibtex, "biblatex")
  return {records = pandoc.json.decode(pandoc.write(doc, "csljson"), false)}
end

local tasks = {cite = cite, bibliography = bibliography, styled = styled, csljson = csljson}
io.write(pandoc.json.encode(tasks[request.task](request)))
